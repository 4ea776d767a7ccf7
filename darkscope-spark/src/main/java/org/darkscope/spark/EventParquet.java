package org.darkscope.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.darkscope.InputException;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicalRange;
import org.darkscope.event.PhysicsObject;

/**
 * Dark Machines events as Parquet rows, for data sets that live in Parquet on a cluster: the
 * CSV's columns (energies in MeV, as in the CSV) with the objects as a list of structs. Written by
 * {@code darkscope spark convert}; read by every Spark job, which checks each value against the
 * same physical ranges as the CSV reader.
 */
public final class EventParquet {
    /** One object: its label ({@code j}, {@code b}, {@code e-}, ...) and four-momentum. */
    public static final StructType OBJECT = new StructType()
            .add("type", DataTypes.StringType, false)
            .add("e", DataTypes.DoubleType, false)
            .add("pt", DataTypes.DoubleType, false)
            .add("eta", DataTypes.DoubleType, false)
            .add("phi", DataTypes.DoubleType, false);
    /** One event. */
    public static final StructType SCHEMA = new StructType()
            .add("event_id", DataTypes.StringType, false)
            .add("process", DataTypes.StringType, false)
            .add("weight", DataTypes.DoubleType, false)
            .add("met", DataTypes.DoubleType, false)
            .add("met_phi", DataTypes.DoubleType, false)
            .add("objects", new ArrayType(OBJECT, false), false);

    private EventParquet() {
    }

    /** An event as a row of {@link #SCHEMA}. */
    public static Row row(Event event) {
        List<Row> objects = new ArrayList<>(event.objects().size());
        for (PhysicsObject o : event.objects()) {
            objects.add(RowFactory.create(o.type().label(), o.e(), o.pt(), o.eta(), o.phi()));
        }
        return row(event.eventId(), event.processId(), event.weight(), event.met(), event.metPhi(), objects);
    }

    /** A row of {@link #SCHEMA} from its values, {@code objects} rows of {@link #OBJECT} (held as the Scala sequence Spark's encoder reads). */
    public static Row row(String eventId, String process, double weight, double met, double metPhi, List<Row> objects) {
        return RowFactory.create(eventId, process, weight, met, metPhi,
                scala.jdk.javaapi.CollectionConverters.asScala(objects).toSeq());
    }

    /**
     * The event of a row of {@link #SCHEMA} as Spark reads it (its internal row, which the vectorised
     * Parquet reader fills without making Java objects of the values); a value outside the CSV
     * reader's physical ranges is bad input naming the file and the event (messages are made only
     * then: made for every value, they took a fifth of the job).
     */
    public static Event event(InternalRow row, String file) {
        String id = row.getUTF8String(0).toString();
        double weight = row.getDouble(2);
        double met = row.getDouble(3);
        double metPhi = row.getDouble(4);
        if (!Double.isFinite(weight)) {
            throw bad(file, id, "event weight is non-finite: " + weight);
        }
        if (!PhysicalRange.energy(met)) {
            throw bad(file, id, "MET " + met + " outside " + PhysicalRange.ENERGY_BOUND);
        }
        if (!PhysicalRange.phi(metPhi)) {
            throw bad(file, id, "MET phi " + metPhi + " outside " + PhysicalRange.PHI_BOUND);
        }
        ArrayData list = row.getArray(5);
        int n = list.numElements();
        PhysicsObject[] objects = new PhysicsObject[n];
        for (int i = 0; i < n; i++) {
            InternalRow o = list.getStruct(i, OBJECT.size());
            byte[] label = o.getUTF8String(0).getBytes();
            ObjectType type = ObjectType.fromLabel(label, 0, label.length);
            if (type == null) {
                throw bad(file, id, "unknown object label '" + o.getUTF8String(0) + "'");
            }
            double e = o.getDouble(1);
            double pt = o.getDouble(2);
            double eta = o.getDouble(3);
            double phi = o.getDouble(4);
            if (!PhysicalRange.energy(e) || !PhysicalRange.energy(pt)) {
                throw bad(file, id, "an object's E or pT outside " + PhysicalRange.ENERGY_BOUND);
            }
            if (!PhysicalRange.energyCoversPt(e, pt)) {
                throw bad(file, id, "an object's " + PhysicalRange.energyBelowPt(e, pt));
            }
            if (!PhysicalRange.eta(eta)) {
                throw bad(file, id, "an object's eta " + eta + " outside " + PhysicalRange.ETA_BOUND);
            }
            if (!PhysicalRange.phi(phi)) {
                throw bad(file, id, "an object's phi " + phi + " outside " + PhysicalRange.PHI_BOUND);
            }
            objects[i] = new PhysicsObject(type, e, pt, eta, phi);
        }
        return new Event(id, row.getUTF8String(1).toString(), weight, met, metPhi, List.of(objects));
    }

    private static InputException bad(String file, String id, String problem) {
        return new InputException(file + ": event " + id + ": " + problem);
    }

    /** Rows of events to rows of {@link #SCHEMA}, lazily. */
    static Iterator<Row> rows(Iterator<Event> events) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return events.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return row(events.next());
            }
        };
    }
}

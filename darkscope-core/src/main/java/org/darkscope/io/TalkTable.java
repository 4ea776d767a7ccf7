package org.darkscope.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicalRange;
import org.darkscope.event.PhysicsObject;

/**
 * The tab-separated table of the talk "Artificial Intelligence and Dark Matter": a header row
 * {@code obj1 E1 pt1 eta1 phi1 obj2 E2 ...}, then one event per row, an object's five cells
 * empty where it is absent; labels as in the challenge format, energies and momenta in MeV.
 * Recognised by its header (its first cell is {@code obj1}, cells separated by tabs).
 *
 * <p>The table has no event ID, process, weight or MET. darkscope assumes: the event ID is the
 * row's number (1 for the first event); the process is the file's name without its extension
 * ({@code -Ddarkscope.table.process=NAME} to give one); the weight is 1
 * ({@code -Ddarkscope.table.weight=W}); MET and its azimuth are those of the negative vector sum
 * of the listed objects' transverse momenta, an approximation (the listed objects are not every
 * visible particle). A column named {@code event}, {@code process}, {@code weight}, {@code MET}
 * or {@code METphi} (in any case) in the header gives the value instead.
 */
final class TalkTable {
    /** The system properties that give the assumed process and weight. */
    static final String PROCESS_PROPERTY = "darkscope.table.process";
    static final String WEIGHT_PROPERTY = "darkscope.table.weight";
    private static final String[] OBJECT_CELLS = {"obj", "E", "pt", "eta", "phi"};

    private final int objects;
    /** Column of each object's five cells: [object][obj, E, pt, eta, phi]. */
    private final int[][] objectColumns;
    private final int eventColumn;
    private final int processColumn;
    private final int weightColumn;
    private final int metColumn;
    private final int metPhiColumn;
    private final int columns;
    private final String process;
    private final double weight;

    private TalkTable(List<String> header, String defaultProcess) {
        columns = header.size();
        int n = 0;
        while (header.contains("obj" + (n + 1))) {
            n++;
        }
        objects = n;
        objectColumns = new int[n][OBJECT_CELLS.length];
        for (int o = 0; o < n; o++) {
            for (int c = 0; c < OBJECT_CELLS.length; c++) {
                int column = header.indexOf(OBJECT_CELLS[c] + (o + 1));
                if (column < 0) {
                    throw new IllegalArgumentException("the header has obj" + (o + 1) + " but no column " + OBJECT_CELLS[c] + (o + 1));
                }
                objectColumns[o][c] = column;
            }
        }
        eventColumn = column(header, "event");
        processColumn = column(header, "process");
        weightColumn = column(header, "weight");
        metColumn = column(header, "met");
        metPhiColumn = column(header, "metphi");
        if ((metColumn < 0) != (metPhiColumn < 0)) {
            throw new IllegalArgumentException("the header has one of MET and METphi: give both, or neither (MET is then computed)");
        }
        process = System.getProperty(PROCESS_PROPERTY, defaultProcess);
        String w = System.getProperty(WEIGHT_PROPERTY, "1");
        try {
            weight = Double.parseDouble(w);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + WEIGHT_PROPERTY + "=" + w + " is not a number");
        }
    }

    private static int column(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code line} is the table's header: its first cell {@code obj1}, followed by a tab. */
    static boolean isHeader(byte[] b, int from, int to) {
        byte[] start = "obj1\t".getBytes(StandardCharsets.US_ASCII);
        return to - from >= start.length && java.util.Arrays.equals(b, from, from + start.length, start, 0, start.length);
    }

    /** The table of this header; {@code defaultProcess} for events of a table without a process column. */
    static TalkTable of(byte[] b, int from, int to, String defaultProcess) {
        return new TalkTable(cells(b, from, to), defaultProcess);
    }

    private static List<String> cells(byte[] b, int from, int to) {
        List<String> cells = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == '\t') {
                cells.add(new String(b, start, i - start, StandardCharsets.UTF_8).trim());
                start = i + 1;
            }
        }
        return cells;
    }

    /** The event of row {@code row} (1 for the first); a problem is an IllegalArgumentException saying what. */
    Event parse(byte[] b, int from, int to, long row) {
        List<String> cells = cells(b, from, to);
        while (cells.size() < columns) {
            cells.add(""); // trailing empty cells of absent objects may be left out
        }
        if (cells.size() > columns) {
            throw new IllegalArgumentException(cells.size() + " cells, the header names " + columns);
        }
        List<PhysicsObject> list = new ArrayList<>();
        double px = 0;
        double py = 0;
        for (int o = 0; o < objects; o++) {
            int[] c = objectColumns[o];
            String label = cells.get(c[0]);
            boolean empty = true;
            for (int k = 0; k < c.length; k++) {
                empty &= cells.get(c[k]).isEmpty();
            }
            if (empty) {
                continue;
            }
            ObjectType type = ObjectType.fromLabel(label);
            if (type == null) {
                throw new IllegalArgumentException("obj" + (o + 1) + ": unknown object label '" + label + "' (j, b, e-, e+, m-, m+, g)");
            }
            double e = number(cells.get(c[1]), "E" + (o + 1));
            double pt = number(cells.get(c[2]), "pt" + (o + 1));
            double eta = number(cells.get(c[3]), "eta" + (o + 1));
            double phi = number(cells.get(c[4]), "phi" + (o + 1));
            require(PhysicalRange.energy(e), "E" + (o + 1), e, PhysicalRange.ENERGY_BOUND);
            require(PhysicalRange.energy(pt), "pt" + (o + 1), pt, PhysicalRange.ENERGY_BOUND);
            require(PhysicalRange.eta(eta), "eta" + (o + 1), eta, PhysicalRange.ETA_BOUND);
            require(PhysicalRange.phi(phi), "phi" + (o + 1), phi, PhysicalRange.PHI_BOUND);
            if (!PhysicalRange.energyCoversPt(e, pt)) {
                throw new IllegalArgumentException("obj" + (o + 1) + ": " + PhysicalRange.energyBelowPt(e, pt));
            }
            list.add(new PhysicsObject(type, e, pt, eta, phi));
            px -= pt * Math.cos(phi);
            py -= pt * Math.sin(phi);
        }
        double met = metColumn >= 0 ? number(cells.get(metColumn), "MET") : Math.hypot(px, py);
        double metPhi = metColumn >= 0 ? number(cells.get(metPhiColumn), "METphi") : Math.atan2(py, px);
        require(PhysicalRange.energy(met), "MET", met, PhysicalRange.ENERGY_BOUND);
        require(PhysicalRange.phi(metPhi), "METphi", metPhi, PhysicalRange.PHI_BOUND);
        String id = eventColumn >= 0 ? cells.get(eventColumn) : Long.toString(row);
        String proc = processColumn >= 0 ? cells.get(processColumn) : process;
        double w = weightColumn >= 0 ? number(cells.get(weightColumn), "weight") : weight;
        return new Event(id, proc, w, met, metPhi, list);
    }

    private static double number(String cell, String column) {
        if (cell.isEmpty()) {
            throw new IllegalArgumentException(column + " is empty");
        }
        try {
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not a number: '" + cell + "'");
        }
    }

    private static void require(boolean ok, String column, double value, String bound) {
        if (!ok) {
            throw new IllegalArgumentException(column + " = " + value + " is outside " + bound);
        }
    }
}

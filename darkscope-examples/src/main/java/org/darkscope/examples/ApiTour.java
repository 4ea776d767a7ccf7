package org.darkscope.examples;

import java.nio.file.Path;
import java.util.List;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.Provenance;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.NearestNeighbours;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.event.Event;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.select.Channel;

/**
 * The Java API in one page: read events, fit an encoder and a detector on background, score,
 * evaluate against a signal, save the model as a bundle and load it again. Run with a directory
 * to work in: {@code java org.darkscope.examples.ApiTour /tmp/tour}.
 */
public final class ApiTour {
    private ApiTour() {
    }

    public static void main(String[] args) {
        Path sample = BundledSample.extractTo(Path.of(args[0]).resolve("sample"));
        List<Event> background = EventFiles.read(sample.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, -1);
        List<Event> train = background.subList(0, background.size() * 3 / 5);
        List<Event> heldOut = background.subList(train.size(), background.size());
        List<Event> signal = EventFiles.read(sample.resolve(BundledSample.SIGNALS.get(0)), ParseMode.STRICT, -1);

        FittedEncoder encoder = FittedEncoder.fit(Encodings.byName("event-level-no-njet"), train); // the dense detectors' default
        // split with its encoder, the density detectors (flow, maf, gmm) give densities per GeV, as the commands do
        TrainingData data = TrainingData.split(encoder, encoder.encode(train), 0.2, 42);
        TrainingConfig config = TrainingConfig.defaults(50, 42);
        Path bundle = Path.of(args[0]).resolve("knn.model");
        try (Detector knn = Detectors.create("knn", Hyperparameters.empty().with(NearestNeighbours.K, 30))) {
            knn.fit(data, config);
            Evaluation.Signal gluino = Evaluation.signal("gluino", knn.score(encoder.encode(heldOut)), null,
                    knn.score(encoder.encode(signal)), null);
            System.out.printf("knn: AUC %.3f, eps_S at eps_B = 1e-2: %.3f%n", gluino.figures().auc(),
                    gluino.figures().signalEfficiency().get("1e-2"));
            ModelBundle.write(bundle, knn, Provenance.ofEvents(encoder, Channel.CHAN1, train, data, config));
        }
        try (TrainedModel model = ModelBundle.load(bundle)) {
            System.out.printf("reloaded %s: the first signal event scores %.4f%n", model.manifest().detector(),
                    model.score(signal.subList(0, 1))[0]);
        }
    }
}

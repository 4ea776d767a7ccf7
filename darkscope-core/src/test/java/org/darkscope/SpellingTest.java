package org.darkscope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The "did you mean" of a refusal: distances worked by hand, and names too far to suggest. */
class SpellingTest {
    @Test
    void editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertEquals(0, Spelling.distance("kde", "kde"));
        assertEquals(1, Spelling.distance("kdee", "kde")); // a deletion
        assertEquals(1, Spelling.distance("bandwith", "bandwidth")); // an insertion
        assertEquals(1, Spelling.distance("knm", "knn")); // a substitution
        assertEquals(1, Spelling.distance("kde", "dke")); // a swap of neighbours, one edit (Levenshtein counts two)
        assertEquals(3, Spelling.distance("kitten", "sitting"));
        assertEquals(3, Spelling.distance("", "met"));
    }

    @Test
    void suggestsTheClosestNameWithinAThirdOfTheMistypedLength() {
        List<String> detectors = List.of("ae", "vae", "flow", "maf", "knn", "gmm", "kde", "met", "ht");
        assertEquals(Optional.of("kde"), Spelling.closest("kdee", detectors));
        assertEquals(Optional.of("flow"), Spelling.closest("flwo", detectors));
        assertEquals(Optional.empty(), Spelling.closest("svm", detectors), "two edits from gmm: more than a third of three letters");
        assertEquals(", did you mean bandwidth?", Spelling.didYouMean("bandwith", List.of("bandwidth", "units")));
        assertEquals("", Spelling.didYouMean("colour", List.of("bandwidth", "units")));
        assertEquals("unknown encoding 'event-levl', did you mean event-level? (known: event-level, met)",
                Spelling.unknown("encoding", "event-levl", List.of("event-level", "met")));
        assertEquals("unknown channel 'monojet' (known: chan1, chan3)",
                Spelling.unknown("channel", "monojet", List.of("chan1", "chan3")));
        assertEquals(Optional.of("ae"), Spelling.closest("at", List.of("ae", "ht")), "ties go to the first known");
    }
}

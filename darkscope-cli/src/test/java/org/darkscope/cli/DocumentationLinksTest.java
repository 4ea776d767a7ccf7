package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.darkscope.detect.Detectors;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and of docs/ (and the bundled sample's data card) leads to a
 * file of the repository, and every heading it names exists there: no dead links for a new user;
 * and every detector has its page.
 */
class DocumentationLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void relativeLinksLeadToFilesAndHeadings() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("data/sample/chan1/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> dead = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                links++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    dead.add(ROOT.relativize(page) + ": " + target);
                } else if (target.contains("#") && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
                    dead.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(links > 10, "only " + links + " links found: is the pattern right?");
        assertTrue(dead.isEmpty(), "dead links: " + dead);
    }

    /**
     * Every detector darkscope registers says its method in a sentence ({@code info --detector}
     * prints it) and has its section in docs/detectors.md, headed by its name.
     */
    @Test
    void everyDetectorHasItsMethodAndItsPage() throws IOException {
        List<String> sections = anchors(ROOT.resolve("docs/detectors.md"));
        String page = Files.readString(ROOT.resolve("docs/detectors.md"));
        List<String> missing = new ArrayList<>();
        for (Detectors.Kind kind : Detectors.kinds()) {
            if (kind.method().isEmpty()) {
                missing.add(kind.name() + ": no method");
            }
            boolean ownSection = sections.contains(kind.name());
            boolean sharedSection = page.lines().anyMatch(l -> l.startsWith("## ") && l.contains("`" + kind.name() + "`"));
            if (!ownSection && !sharedSection) {
                missing.add(kind.name() + ": no section in docs/detectors.md");
            }
        }
        assertTrue(Detectors.kinds().stream().anyMatch(k -> k.name().equals("onnx")), "the plug-in detectors are among them");
        assertTrue(missing.isEmpty(), String.valueOf(missing));
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, spaces to hyphens, punctuation dropped. */
    private static List<String> anchors(Path markdown) throws IOException {
        return Files.readAllLines(markdown).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .toList();
    }
}

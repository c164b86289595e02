package dev.socketchat.docs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reference in the repository resolves inside the repository: a reader who follows a link,
 * or looks up a cited section, finds it. Reads the repository's own files, so it runs wherever the
 * build does.
 * <ul>
 *   <li>every relative Markdown link points to a file or folder that exists, and an anchor into a
 *       Markdown file to one of its headings;</li>
 *   <li>every citation of a section of docs/protocol.md names a section that exists;</li>
 *   <li>no file cites a document that is not in the repository (the specification and design files
 *       the project was written from live outside it).</li>
 * </ul>
 */
class RepositoryReferencesTest {

    /** Documents outside the repository, and the vague name for them. */
    private static final List<String> OUTSIDE_DOCUMENTS = List.of("PROTOCOL" + ".md", "DESIGN" + ".md", "design" + " notes");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    /** "docs/protocol.md §2 and §7", "[docs/protocol.md §7](...)": the section numbers after the name. */
    private static final Pattern SECTION_CITATION = Pattern.compile("protocol\\.md\\]?\\s*((?:§\\d+(?:,|\\s+and|\\s+to)?\\s*)+)");
    private static final Pattern SECTION_NUMBER = Pattern.compile("§(\\d+)");
    private static final Pattern NUMBERED_SECTION = Pattern.compile("(?m)^## (\\d+)\\. ");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?)\\s*$");
    private static final Set<String> TEXT_EXTENSIONS = Set.of("md", "java", "py", "xml", "properties", "sh", "txt", "yml", "yaml");
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", "node_modules", "results");

    private static Path root;
    private static List<Path> files;

    @BeforeAll
    static void findTheRepository() throws IOException {
        root = Repository.root();
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(RepositoryReferencesTest::isChecked)
                    .toList();
        }
    }

    private static boolean isChecked(Path file) {
        Path relative = root.relativize(file);
        for (Path part : relative.getParent() == null ? List.<Path>of() : relative.getParent()) {
            if (part.toString().startsWith(".") || SKIPPED_FOLDERS.contains(part.toString())) {
                return false;
            }
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return name.equals("chat") || dot > 0 && TEXT_EXTENSIONS.contains(name.substring(dot + 1));
    }

    @Test
    void everyMarkdownLinkPointsToAFileOfTheRepository() {
        List<String> broken = new ArrayList<>();
        for (Path file : markdown()) {
            Matcher link = LINK.matcher(withoutCode(read(file)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // a web address, or a place in this same page
                }
                int hash = target.indexOf('#');
                String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
                Path resolved = file.getParent().resolve(path).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(where(file) + ": " + target);
                } else if (hash >= 0 && path.endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(where(file) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("links to nothing in the repository").isEmpty();
    }

    @Test
    void everyCitedSectionOfTheProtocolExists() {
        Set<String> sections = new TreeSet<>();
        NUMBERED_SECTION.matcher(read(root.resolve("docs/protocol.md"))).results().forEach(m -> sections.add(m.group(1)));
        assertThat(sections).as("the numbered sections of docs/protocol.md").isNotEmpty();
        List<String> wrong = new ArrayList<>();
        for (Path file : files) {
            Matcher citation = SECTION_CITATION.matcher(read(file));
            while (citation.find()) {
                SECTION_NUMBER.matcher(citation.group(1)).results().map(m -> m.group(1))
                        .filter(number -> !sections.contains(number))
                        .forEach(number -> wrong.add(where(file) + ": §" + number));
            }
        }
        assertThat(wrong).as("citations of sections docs/protocol.md does not have (it has %s)", sections).isEmpty();
    }

    @Test
    void noFileCitesADocumentOutsideTheRepository() {
        List<String> citing = new ArrayList<>();
        for (Path file : files) {
            if (file.getFileName().toString().equals(RepositoryReferencesTest.class.getSimpleName() + ".java")) {
                continue;
            }
            String text = read(file);
            for (String document : OUTSIDE_DOCUMENTS) {
                if (text.toLowerCase(Locale.ROOT).contains(document.toLowerCase(Locale.ROOT))
                        && (document.contains(" ") || text.contains(document))) {
                    citing.add(where(file) + ": " + document);
                }
            }
        }
        assertThat(citing).as("files that cite a document the repository does not contain;"
                + " cite docs/protocol.md or docs/architecture.md instead").isEmpty();
    }

    private static List<Path> markdown() {
        return files.stream().filter(file -> file.getFileName().toString().endsWith(".md")).toList();
    }

    /** Code is not prose: a pair of brackets and parentheses in it is no link. */
    private static String withoutCode(String markdown) {
        return INLINE_CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path markdown) {
        Set<String> anchors = new TreeSet<>();
        HEADING.matcher(withoutFences(read(markdown))).results().forEach(heading -> anchors.add(heading.group(1)
                .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-')));
        return anchors;
    }

    private static String withoutFences(String markdown) {
        return FENCE.matcher(markdown).replaceAll("");
    }

    private static String where(Path file) {
        return root.relativize(file).toString();
    }

    private static String read(Path file) {
        return Repository.read(file);
    }
}

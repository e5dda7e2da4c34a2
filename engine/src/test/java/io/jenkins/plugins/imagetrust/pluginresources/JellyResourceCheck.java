package io.jenkins.plugins.imagetrust.pluginresources;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.SAXException;

/**
 * Reads the plugin's Jelly views the way Stapler will, without Jenkins: the plugin cannot be built by CI, and a view
 * that Stapler cannot load breaks whole pages (a {@code (} inside {@code ${%…}} text once broke Manage Jenkins ›
 * System for every plugin). Each problem is one line naming the file, the line and what is wrong.
 *
 * <p>The rules: every view is well-formed XML; no {@code ${%…}} literal holds {@code (} (Stapler reads
 * {@code ${%key(args)}}); a {@code ${%key}} that starts with a lower-case letter and has no space is a message key and
 * must be in the view's {@code .properties} (capitalised text such as {@code ${%Image}} is shown as written); every
 * {@code field="x"} has a {@code getX()} or {@code isX()} in the class the view belongs to, and a {@code help-x.html}
 * beside the view.
 */
final class JellyResourceCheck {
    private static final Pattern LOCALIZED = Pattern.compile("\\$\\{%([^}]*)}");
    private static final Pattern FIELD = Pattern.compile("<([\\w:]+)[^>]*\\bfield=\"([^\"]+)\"");
    /** A nested describable rendered inline: its fields' help lives with its own class, not beside this view. */
    private static final String NESTED_PROPERTY_TAG = "f:property";

    private static final Pattern SUPERCLASS = Pattern.compile("\\bclass\\s+\\w+\\s+extends\\s+(\\w+)");
    private static final Pattern MESSAGE_KEY = Pattern.compile("[a-z][A-Za-z0-9_.]*");

    private final Path resources;
    private final Path javaSources;

    /**
     * @param resources the plugin's {@code src/main/resources}
     * @param javaSources the plugin's {@code src/main/java}
     */
    JellyResourceCheck(Path resources, Path javaSources) {
        this.resources = resources;
        this.javaSources = javaSources;
    }

    /** Every problem in every view below {@code resources}, in file order; empty when all is well. */
    List<String> problems() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> views;
        try (Stream<Path> files = Files.walk(resources)) {
            views = files.filter(f -> f.toString().endsWith(".jelly")).sorted().toList();
        }
        for (Path view : views) {
            problems.addAll(problemsOf(view));
        }
        return problems;
    }

    private List<String> problemsOf(Path view) throws IOException {
        List<String> problems = new ArrayList<>();
        String name = resources.relativize(view).toString();
        String text = Files.readString(view, StandardCharsets.UTF_8);
        String xmlError = xmlError(view);
        if (xmlError != null) {
            problems.add(name + ": not well-formed XML: " + xmlError);
        }
        Properties messages = messagesOf(view);
        Matcher localized = LOCALIZED.matcher(text);
        while (localized.find()) {
            String literal = localized.group(1);
            String where = name + ":" + lineOf(text, localized.start());
            if (literal.contains("(")) {
                problems.add(where + ": ${%" + literal + "} holds '(', which Stapler parses as arguments: use a key and "
                        + viewProperties(view).getFileName());
            } else if (MESSAGE_KEY.matcher(literal).matches() && !messages.containsKey(literal)) {
                problems.add(where + ": message key '" + literal + "' is not in " + viewProperties(view).getFileName());
            }
        }
        Matcher field = FIELD.matcher(text);
        while (field.find()) {
            String fieldName = field.group(2);
            String where = name + ":" + lineOf(text, field.start());
            if (!NESTED_PROPERTY_TAG.equals(field.group(1)) && !hasHelp(view, fieldName)) {
                problems.add(where + ": field '" + fieldName + "' has no help-" + fieldName + ".html");
            }
            String getterProblem = getterProblem(view, fieldName);
            if (getterProblem != null) {
                problems.add(where + ": " + getterProblem);
            }
        }
        return problems;
    }

    /** The parser's message when the view is not well-formed XML, else null. */
    private static String xmlError(Path view) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.newDocumentBuilder().parse(view.toFile());
            return null;
        } catch (SAXException e) {
            return e.getMessage();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code config.jelly} → {@code config.properties} beside it. */
    private static Path viewProperties(Path view) {
        String file = view.getFileName().toString();
        return view.resolveSibling(file.substring(0, file.length() - ".jelly".length()) + ".properties");
    }

    private static Properties messagesOf(Path view) throws IOException {
        Properties messages = new Properties();
        Path file = viewProperties(view);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                messages.load(reader);
            }
        }
        return messages;
    }

    /**
     * Null when the class the view belongs to ({@code a/b/C/config.jelly} → {@code a/b/C.java}) has a getter for
     * {@code fieldName}, else why not.
     */
    private String getterProblem(Path view, String fieldName) throws IOException {
        Path classDir = resources.relativize(view.getParent());
        Path source = javaSources.resolve(classDir + ".java");
        if (!Files.isRegularFile(source)) {
            return "field '" + fieldName + "' is in a view of " + classDir + ", which has no source " + source.getFileName();
        }
        String capitalised = Character.toUpperCase(fieldName.charAt(0)) + fieldName.substring(1);
        Pattern getter = Pattern.compile("public\\s+[^;{=]*\\b(get|is)" + Pattern.quote(capitalised) + "\\s*\\(\\s*\\)");
        // The getter may be inherited from a superclass in the same package (the steps share ImageStep).
        for (Path declaring = source; declaring != null; declaring = superclassSource(declaring)) {
            if (getter.matcher(Files.readString(declaring, StandardCharsets.UTF_8)).find()) {
                return null;
            }
        }
        return "field '" + fieldName + "' has no public get" + capitalised + "() or is" + capitalised + "() in "
                + source.getFileName();
    }

    /**
     * Whether the field has a {@code help-x.html} beside the view or in the folder of a superclass in the same package:
     * Jenkins' {@code Descriptor.getHelpFile} looks there too, so steps share the help of the parameters they inherit.
     */
    private boolean hasHelp(Path view, String fieldName) throws IOException {
        String help = "help-" + fieldName + ".html";
        if (Files.isRegularFile(view.resolveSibling(help))) {
            return true;
        }
        Path source = javaSources.resolve(resources.relativize(view.getParent()) + ".java");
        for (Path declaring = Files.isRegularFile(source) ? superclassSource(source) : null;
                declaring != null;
                declaring = superclassSource(declaring)) {
            String relative = javaSources.relativize(declaring).toString();
            Path folder = resources.resolve(relative.substring(0, relative.length() - ".java".length()));
            if (Files.isRegularFile(folder.resolve(help))) {
                return true;
            }
        }
        return false;
    }

    /** The source of the class {@code source} extends when it sits in the same package, else null. */
    private static Path superclassSource(Path source) throws IOException {
        Matcher extendsClause = SUPERCLASS.matcher(Files.readString(source, StandardCharsets.UTF_8));
        if (!extendsClause.find()) {
            return null;
        }
        Path superclass = source.resolveSibling(extendsClause.group(1) + ".java");
        return Files.isRegularFile(superclass) ? superclass : null;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}

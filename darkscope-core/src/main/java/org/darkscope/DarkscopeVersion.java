package org.darkscope;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** darkscope's version, as built (written into model bundles and printed by {@code --version}). */
public final class DarkscopeVersion {
    private static final Properties PROPERTIES = load();
    private static final String VERSION = PROPERTIES.getProperty("version", "unknown");

    private DarkscopeVersion() {
    }

    public static String get() {
        return VERSION;
    }

    /** The Deep Java Library version darkscope was built against. */
    public static String djl() {
        return PROPERTIES.getProperty("djl", "unknown");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = DarkscopeVersion.class.getResourceAsStream("/org/darkscope/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // versions then read "unknown"
        }
        return properties;
    }
}

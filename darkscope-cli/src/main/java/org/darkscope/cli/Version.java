package org.darkscope.cli;

import picocli.CommandLine;

/** The version darkscope reports and writes into model bundles. */
final class Version implements CommandLine.IVersionProvider {
    /** darkscope's version, from the jar manifest (or the build version when run from classes). */
    static String darkscope() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"darkscope " + darkscope(), "Java " + System.getProperty("java.version")};
    }
}

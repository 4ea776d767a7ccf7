package org.darkscope.cli;

import org.darkscope.DarkscopeVersion;
import picocli.CommandLine;

/** What {@code darkscope --version} prints. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"darkscope " + DarkscopeVersion.get(), "Java " + System.getProperty("java.version")};
    }
}

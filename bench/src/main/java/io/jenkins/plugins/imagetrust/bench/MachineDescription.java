package io.jenkins.plugins.imagetrust.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a run was made on: processors, memory, CPU model and the JVM. */
final class MachineDescription {
    private MachineDescription() {
    }

    static String describe() {
        return "- processors (nproc): " + Runtime.getRuntime().availableProcessors() + "\n"
                + "- memory: " + firstLine(Path.of("/proc/meminfo"), "MemTotal") + "\n"
                + "- CPU: " + firstLine(Path.of("/proc/cpuinfo"), "model name") + "\n"
                + "- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + "), max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB\n"
                + "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** The value of the first {@code key: value} line of a /proc file, or "unknown". */
    private static String firstLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(line -> line.startsWith(key)).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

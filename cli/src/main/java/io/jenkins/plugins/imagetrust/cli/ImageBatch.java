package io.jenkins.plugins.imagetrust.cli;

import java.util.List;

/**
 * Runs one action per image of a command line: a failure is reported as {@code image-trust: error: IMAGE: why} and
 * the other images still run; the batch exits with the most severe outcome ({@link ExitCodes#worst}).
 */
final class ImageBatch {
    /** The work for one image; returns that image's exit code. */
    @FunctionalInterface
    interface Action {
        int run(String image) throws Exception;
    }

    /** Told about each image that failed, e.g. to add it to a JSON report. */
    @FunctionalInterface
    interface Failures {
        void failed(String image, String message);
    }

    private ImageBatch() {
    }

    static int run(CliContext context, List<String> images, boolean quiet, Action action) throws InterruptedException {
        return run(context, images, quiet, action, (image, message) -> { });
    }

    /**
     * As above; a batch of more than one image shows its progress on stderr (unless {@code quiet}): on a terminal a
     * count redrawn in place (each result line is written over it), elsewhere a plain {@code [i/n] IMAGE} line.
     */
    static int run(CliContext context, List<String> images, boolean quiet, Action action, Failures failures) throws InterruptedException {
        int exit = ExitCodes.OK;
        boolean progress = !quiet && images.size() > 1;
        boolean live = progress && Terminals.isTerminal(context.console());
        int widest = 0;
        for (int i = 0; i < images.size(); i++) {
            String image = images.get(i);
            if (progress) {
                String line = "[" + (i + 1) + "/" + images.size() + "] " + image;
                widest = Math.max(widest, line.length());
                context.err().print(live ? line + "\r" : line + System.lineSeparator());
                context.err().flush();
            }
            try {
                exit = ExitCodes.worst(exit, action.run(image));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                String message = ImageTrustCommand.describe(e);
                context.err().println("image-trust: error: " + image + ": " + message);
                failures.failed(image, message);
                exit = ExitCodes.worst(exit, ExitCodes.ERROR);
            }
        }
        if (live) {
            context.err().print(" ".repeat(widest) + "\r");
        }
        context.out().flush();
        context.err().flush();
        return exit;
    }
}

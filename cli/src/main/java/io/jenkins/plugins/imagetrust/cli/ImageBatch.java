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

    static int run(CliContext context, List<String> images, Action action) throws InterruptedException {
        return run(context, images, action, (image, message) -> { });
    }

    static int run(CliContext context, List<String> images, Action action, Failures failures) throws InterruptedException {
        int exit = ExitCodes.OK;
        for (String image : images) {
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
        context.out().flush();
        context.err().flush();
        return exit;
    }
}

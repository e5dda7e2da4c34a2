package io.jenkins.plugins.imagetrust.bench;

/** The goal a ratio must meet: at most (times) or at least (throughput) {@code bound}. */
public record Goal(boolean atMost, double bound) {
    public static Goal atMost(double bound) {
        return new Goal(true, bound);
    }

    public static Goal atLeast(double bound) {
        return new Goal(false, bound);
    }

    public boolean metBy(double ratio) {
        return Double.isFinite(ratio) && (atMost ? ratio <= bound : ratio >= bound);
    }

    @Override
    public String toString() {
        return (atMost ? "≤ " : "≥ ") + bound + "×";
    }
}

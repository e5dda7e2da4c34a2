package io.jenkins.plugins.imagetrust.bench;

/**
 * The goal a ratio must meet: at most (times) or at least (throughput) {@code bound}; or {@link #none()}, a ratio
 * only reported, which any finite ratio meets.
 */
public record Goal(boolean atMost, double bound) {
    private static final Goal NONE = new Goal(true, Double.POSITIVE_INFINITY);

    public static Goal atMost(double bound) {
        return new Goal(true, bound);
    }

    public static Goal atLeast(double bound) {
        return new Goal(false, bound);
    }

    /** No goal: the ratio is reported; only a failed measurement (NaN, infinite) misses it. */
    public static Goal none() {
        return NONE;
    }

    public boolean metBy(double ratio) {
        return Double.isFinite(ratio) && (atMost ? ratio <= bound : ratio >= bound);
    }

    @Override
    public String toString() {
        if (this.equals(NONE)) {
            return "none (ratio reported)";
        }
        return (atMost ? "≤ " : "≥ ") + bound + "×";
    }
}

package io.jenkins.plugins.imagetrust.bench;

import java.util.Arrays;

/** Measurements of one quantity (nanoseconds, or operations per second), summarised by median and 90th percentile. */
public final class Samples {
    private final double[] values;
    private int count;

    public Samples(int capacity) {
        this.values = new double[capacity];
    }

    public void add(double value) {
        if (count == values.length) {
            throw new IllegalStateException("more samples than the " + values.length + " planned");
        }
        values[count++] = value;
    }

    public int count() {
        return count;
    }

    public double median() {
        return percentile(50);
    }

    public double p90() {
        return percentile(90);
    }

    /** Nearest-rank percentile: the smallest sample with at least {@code p} percent of the samples at or below it; NaN when none. */
    public double percentile(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }
}

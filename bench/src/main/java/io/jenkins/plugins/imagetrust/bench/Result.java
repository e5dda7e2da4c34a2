package io.jenkins.plugins.imagetrust.bench;

import java.util.Locale;

/**
 * One benchmark's figures: the baseline and ours measured in the same run, and their ratio (ours over baseline, on
 * medians). For times the goal is an upper bound on the ratio, for throughputs a lower bound. {@code note} carries
 * extra facts (heap, errors); a benchmark with any {@code errors} fails whatever its ratio.
 */
public record Result(String name, String unit, double baselineMedian, double baselineP90, double oursMedian, double oursP90,
        Goal goal, int errors, String note) {

    public static Result of(String name, String unit, Samples baseline, Samples ours, Goal goal, int errors, String note) {
        return new Result(name, unit, baseline.median(), baseline.p90(), ours.median(), ours.p90(), goal, errors, note);
    }

    public double ratio() {
        return oursMedian / baselineMedian;
    }

    public double p90Ratio() {
        return oursP90 / baselineP90;
    }

    public boolean passed() {
        return errors == 0 && goal.metBy(ratio());
    }

    /** A Markdown table row: benchmark, baseline median (p90), ours median (p90), ratio, p90 ratio, goal, pass/fail, note. */
    public String tableRow() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %.2f× | %.2f× | %s | %s | %s |", name,
                figure(baselineMedian, baselineP90), figure(oursMedian, oursP90), ratio(), p90Ratio(), goal,
                passed() ? "pass" : "FAIL", note);
    }

    public static String tableHeader() {
        return "| benchmark | baseline median (p90) | ours median (p90) | ratio | p90 ratio | goal | result | notes |\n"
                + "|---|---|---|---|---|---|---|---|";
    }

    private String figure(double median, double p90) {
        return String.format(Locale.ROOT, "%.2f (%.2f) %s", median, p90, unit);
    }
}

package io.jenkins.plugins.imagetrust.run;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.BuildBadgeAction;
import hudson.model.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * What this run signed and verified: one {@link ImageTrustRecord} per step call, a badge in the build history, a
 * table on the build page and the records in the run's REST API. Saved with the run (build.xml).
 */
@ExportedBean
public class ImageTrustAction implements RunAction2, BuildBadgeAction {
    private static final Logger LOGGER = Logger.getLogger(ImageTrustAction.class.getName());
    /** Guards creating the action and adding records when parallel branches record at once. */
    private static final Object LOCK = new Object();

    private final List<ImageTrustRecord> records = new ArrayList<>();
    private transient Run<?, ?> run;

    /**
     * Adds {@code record} to the run's action (creating it on first use) and saves the run, so that the record
     * survives a controller restart even while the build is still going.
     */
    public static void record(@NonNull Run<?, ?> run, @NonNull ImageTrustRecord record) {
        synchronized (LOCK) {
            ImageTrustAction action = run.getAction(ImageTrustAction.class);
            if (action == null) {
                action = new ImageTrustAction();
                run.addAction(action);
            }
            action.records.add(record);
        }
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + run + " after recording an image trust result", e);
        }
    }

    /** Every sign and verify call of the run, in order; in the run's {@code api/json} as {@code records}. */
    @Exported(visibility = 2)
    @NonNull
    public List<ImageTrustRecord> getRecords() {
        synchronized (LOCK) {
            return new ArrayList<>(records);
        }
    }

    /** The verdict shown in the badge: the worst of all records. */
    @Exported(visibility = 2)
    @NonNull
    public ImageTrustRecord.Verdict getOverallVerdict() {
        ImageTrustRecord.Verdict worst = ImageTrustRecord.Verdict.SIGNED;
        for (ImageTrustRecord record : getRecords()) {
            if (record.getVerdict().ordinal() > worst.ordinal()) {
                worst = record.getVerdict();
            }
        }
        return worst;
    }

    /** The core symbol for the badge. */
    @NonNull
    public String getBadgeIcon() {
        return getOverallVerdict().icon();
    }

    /** "Image Trust: signed 1, verified 2" and so on. */
    @NonNull
    public String getBadgeTooltip() {
        int[] counts = new int[ImageTrustRecord.Verdict.values().length];
        for (ImageTrustRecord record : getRecords()) {
            counts[record.getVerdict().ordinal()]++;
        }
        StringBuilder text = new StringBuilder("Image Trust:");
        String separator = " ";
        for (ImageTrustRecord.Verdict verdict : ImageTrustRecord.Verdict.values()) {
            if (counts[verdict.ordinal()] > 0) {
                text.append(separator).append(verdict.label()).append(' ').append(counts[verdict.ordinal()]);
                separator = ", ";
            }
        }
        return text.toString();
    }

    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    // No sidebar link and no URL: the badge and the summary are the whole UI.

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}

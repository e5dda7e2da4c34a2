package io.jenkins.plugins.imagetrust.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Runs every benchmark in one process against one real docker-registry it starts on 127.0.0.1, and prints each
 * figure as a ratio to a baseline measured in the same run (docs/performance.md). Exit status 0 when every goal is
 * met, 1 when one is missed, 2 on a usage error.
 *
 * <pre>java -jar bench/target/image-trust-bench.jar [--smoke] [--iterations N] [--warmup N] [--bulk-images N]
 *     [--bulk-rounds N] [--concurrency N] [--cli-iterations N] [--trust-iterations N] [--project-root DIR]
 *     [--only sign,verify,bulk,cli,trust,index,concurrent,provenance,keyless]</pre>
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("image-trust-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("Image Trust benchmarks, " + Instant.now());
        System.out.println(MachineDescription.describe());
        System.out.println(config);
        List<Result> results = run(config);
        System.out.println();
        System.out.println(Result.tableHeader());
        results.forEach(result -> System.out.println(result.tableRow()));
        System.exit(results.stream().allMatch(Result::passed) ? 0 : 1);
    }

    /**
     * Runs benchmarks 1 to 7 (those {@code config} asks for); the CLI ones only where the launcher and jar are built,
     * 5 only where dockerd, docker, notary-server and notary-signer are installed and this is root (else a printed reason).
     */
    public static List<Result> run(BenchConfig config) throws Exception {
        Path workDir = Files.createTempDirectory("image-trust-bench");
        List<Result> results = new ArrayList<>();
        try (BenchEnvironment env = new BenchEnvironment()) {
            env.start();
            System.err.println("bench: docker-registry at " + env.registryHost());
            LatencyBenchmarks latency = new LatencyBenchmarks(env, config);
            if (config.runs("sign")) {
                latency.sign().forEach(result -> results.add(report(result)));
            }
            if (config.runs("verify")) {
                results.add(report(latency.verify()));
            }
            if (config.runs("bulk")) {
                results.add(report(new BulkVerifyBenchmark(env, config).run()));
            }
            if (config.runs("index")) {
                new IndexSignBenchmark(env, config).run().forEach(result -> results.add(report(result)));
            }
            if (config.runs("concurrent")) {
                results.add(report(new ConcurrentSignersBenchmark(env, config).run()));
            }
            if (config.runs("provenance")) {
                results.add(report(new ProvenanceSignBenchmark(env, config).run()));
            }
            if (config.runs("keyless")) {
                results.add(report(new KeylessVerifyBenchmark(env, config).run()));
            }
            CliStartupBenchmark cli = new CliStartupBenchmark(env, config, workDir);
            String unavailable = cli.unavailableReason();
            if (!config.runs("cli")) {
                System.err.println("bench: CLI start-up benchmark not asked for");
            } else if (unavailable != null) {
                System.err.println("bench: CLI start-up benchmark NOT RUN: " + unavailable);
            } else {
                cli.run().forEach(result -> results.add(report(result)));
            }
            String trustUnavailable = TrustSignBenchmark.unavailableReason();
            if (!config.runs("trust")) {
                System.err.println("bench: trust sign benchmark (5) not asked for");
            } else if (trustUnavailable != null) {
                System.err.println("bench: *** 5. sign vs docker trust sign NOT RUN: " + trustUnavailable + " ***");
            } else {
                new TrustSignBenchmark(env, config, workDir).run().forEach(result -> results.add(report(result)));
            }
        } finally {
            deleteTree(workDir);
        }
        return results;
    }

    private static Result report(Result result) {
        System.err.println("bench: " + result.tableRow());
        return result;
    }

    static BenchConfig parse(String[] args) {
        BenchConfig c = BenchConfig.full(BenchConfig.findProjectRoot());
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--smoke")) {
                BenchConfig smoke = BenchConfig.smoke(c.projectRoot());
                c = new BenchConfig(smoke.warmup(), smoke.iterations(), smoke.bulkImages(), smoke.bulkRounds(), smoke.concurrency(),
                        smoke.cliWarmup(), smoke.cliIterations(), smoke.trustIterations(), c.projectRoot(), c.only());
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + option);
            }
            String value = args[++i];
            c = switch (option) {
                case "--warmup" -> new BenchConfig(number(option, value), c.iterations(), c.bulkImages(), c.bulkRounds(),
                        c.concurrency(), c.cliWarmup(), c.cliIterations(), c.trustIterations(), c.projectRoot(), c.only());
                case "--iterations" -> new BenchConfig(c.warmup(), number(option, value), c.bulkImages(), c.bulkRounds(),
                        c.concurrency(), c.cliWarmup(), c.cliIterations(), c.trustIterations(), c.projectRoot(), c.only());
                case "--bulk-images" -> new BenchConfig(c.warmup(), c.iterations(), number(option, value), c.bulkRounds(),
                        c.concurrency(), c.cliWarmup(), c.cliIterations(), c.trustIterations(), c.projectRoot(), c.only());
                case "--bulk-rounds" -> new BenchConfig(c.warmup(), c.iterations(), c.bulkImages(), number(option, value),
                        c.concurrency(), c.cliWarmup(), c.cliIterations(), c.trustIterations(), c.projectRoot(), c.only());
                case "--concurrency" -> new BenchConfig(c.warmup(), c.iterations(), c.bulkImages(), c.bulkRounds(),
                        number(option, value), c.cliWarmup(), c.cliIterations(), c.trustIterations(), c.projectRoot(), c.only());
                case "--cli-iterations" -> new BenchConfig(c.warmup(), c.iterations(), c.bulkImages(), c.bulkRounds(),
                        c.concurrency(), c.cliWarmup(), number(option, value), c.trustIterations(), c.projectRoot(), c.only());
                case "--trust-iterations" -> new BenchConfig(c.warmup(), c.iterations(), c.bulkImages(), c.bulkRounds(),
                        c.concurrency(), c.cliWarmup(), c.cliIterations(), number(option, value), c.projectRoot(), c.only());
                case "--project-root" -> new BenchConfig(c.warmup(), c.iterations(), c.bulkImages(), c.bulkRounds(),
                        c.concurrency(), c.cliWarmup(), c.cliIterations(), c.trustIterations(), Path.of(value).toAbsolutePath(), c.only());
                case "--only" -> new BenchConfig(c.warmup(), c.iterations(), c.bulkImages(), c.bulkRounds(), c.concurrency(),
                        c.cliWarmup(), c.cliIterations(), c.trustIterations(), c.projectRoot(), Set.of(value.split(",")));
                default -> throw new IllegalArgumentException("unknown option: " + option);
            };
        }
        return c;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}

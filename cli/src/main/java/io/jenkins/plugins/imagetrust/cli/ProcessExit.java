package io.jenkins.plugins.imagetrust.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Ends the process without the JVM's exit stall. HotSpot's exit waits, in 10 ms steps up to 300 ms, for every thread
 * running native code to come back into the VM ({@code VM_Exit::wait_for_threads_in_native_to_block}). The JDK
 * {@code HttpClient}'s selector thread sits in {@code epoll_wait} (native) for as long as its client lives, and JDK 17
 * has no {@code HttpClient.close()}, so every command that made a request paid those 300 ms at exit — half of a
 * whole {@code verify}. Interrupting a selector thread makes it leave its loop and close its connections, the same
 * shutdown it runs when its client is no longer referenced.
 */
final class ProcessExit {
    /** The JDK names each client's selector thread {@code HttpClient-<id>-SelectorManager} (JDK 11 to 25 at least). */
    private static final String SELECTOR_PREFIX = "HttpClient-";
    private static final String SELECTOR_SUFFIX = "-SelectorManager";
    /** Long enough for a selector to close its sockets; an exit that must wait longer costs no more than the stall. */
    private static final long JOIN_MILLIS = 200;

    private ProcessExit() {
    }

    /** Stops every HTTP client selector thread (leaving those clients unusable), then exits with {@code code}. */
    static void exit(int code) {
        stopSelectors(ProcessExit::isHttpClientSelector);
        System.exit(code);
    }

    /** Whether {@code threadName} is that of a JDK {@code HttpClient}'s selector thread. */
    static boolean isHttpClientSelector(String threadName) {
        return threadName.startsWith(SELECTOR_PREFIX) && threadName.endsWith(SELECTOR_SUFFIX);
    }

    /**
     * Interrupts the live threads whose name {@code which} accepts and waits (boundedly) until they have ended;
     * returns how many were interrupted.
     */
    static int stopSelectors(Predicate<String> which) {
        List<Thread> selectors = new ArrayList<>();
        for (Thread thread : liveThreads()) {
            if (which.test(thread.getName())) {
                selectors.add(thread);
                thread.interrupt();
            }
        }
        long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000;
        for (Thread selector : selectors) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            try {
                selector.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return selectors.size();
    }

    /** All live threads, without the safepoint and stack walks of {@code Thread.getAllStackTraces()}. */
    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int count;
        while ((count = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return List.of(Arrays.copyOf(threads, count));
    }
}

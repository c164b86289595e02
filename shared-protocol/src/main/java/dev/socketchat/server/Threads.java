package dev.socketchat.server;

/** Thread chores that every blocking lesson needs and none of them teaches. */
public final class Threads {

    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, even if the caller is interrupted meanwhile: a server's
     * stop must not return while a thread of the server still runs. The interrupt is kept and set
     * again on return, for the caller to act on.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

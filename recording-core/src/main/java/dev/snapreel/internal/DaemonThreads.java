package dev.snapreel.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Not API: the background threads snapreel starts, daemons so they never keep a JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A single-thread scheduled executor whose one daemon thread is called {@code name}. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }
}

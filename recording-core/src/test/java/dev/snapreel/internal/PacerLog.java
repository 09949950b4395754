package dev.snapreel.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records every decision of a {@link FramePacer}, and counts how often each frame was released. */
final class PacerLog implements FramePacer.Listener<String> {
  record Emitted(String frame, long slot, boolean duplicate) {}

  final List<Emitted> emitted = new ArrayList<>();
  final List<String> dropped = new ArrayList<>();
  final List<String> retired = new ArrayList<>();
  final Map<String, Integer> releases = new HashMap<>();

  @Override
  public void emit(String frame, long slot, boolean duplicate) {
    if (releases.containsKey(frame)) {
      throw new AssertionError("emitted " + frame + " after it was released");
    }
    emitted.add(new Emitted(frame, slot, duplicate));
  }

  @Override
  public void dropped(String frame) {
    dropped.add(frame);
    releases.merge(frame, 1, Integer::sum);
  }

  @Override
  public void retired(String frame) {
    retired.add(frame);
    releases.merge(frame, 1, Integer::sum);
  }

  List<String> frames() {
    return emitted.stream().map(Emitted::frame).toList();
  }

  List<Long> slots() {
    return emitted.stream().map(Emitted::slot).toList();
  }

  long duplicates() {
    return emitted.stream().filter(Emitted::duplicate).count();
  }
}

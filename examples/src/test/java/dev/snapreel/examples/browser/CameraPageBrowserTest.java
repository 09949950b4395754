package dev.snapreel.examples.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.snapreel.RecordingConfig;
import dev.snapreel.RecordingOptions;
import dev.snapreel.examples.ApiClient;
import dev.snapreel.examples.ExampleServer;
import dev.snapreel.examples.ServerSettings;
import dev.snapreel.examples.TestFrames;
import dev.snapreel.testkit.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The newcomer's path in a real browser: Debian's headless Chromium with a fake camera (a clip of a
 * drawn face) opens the page, which gets a demo token, creates a session, records a few seconds over
 * the WebSocket, stops and lists the recording with a {@code <video>} player. The downloaded file
 * must decode as 30 fps H.264 of about the recorded length, and the page's player must report the
 * same duration.
 *
 * <p>Skipped (loudly) only where no Chromium is installed; set {@code SNAPREEL_REQUIRE_BROWSER=true}
 * to make a missing browser a failure instead.
 */
class CameraPageBrowserTest {
  static final double RECORD_SECONDS = 4.0;
  static Path chromium;

  @TempDir
  Path dir;

  @BeforeAll
  static void findChromium() {
    String configured = System.getenv("CHROMIUM_PATH");
    Path candidate =
        Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium");
    if (!Files.isExecutable(candidate)) {
      String message = "\n*** CameraPageBrowserTest SKIPPED: no Chromium at " + candidate
          + " (install it with `apt-get install chromium` or set CHROMIUM_PATH). ***\n";
      System.err.println(message);
      if ("true".equalsIgnoreCase(System.getenv("SNAPREEL_REQUIRE_BROWSER"))) {
        throw new AssertionError(message);
      }
      Assumptions.abort(message);
    }
    chromium = candidate;
  }

  /**
   * The whole loop in a real browser: camera, snapshots, detection, recording, list, download and
   * playback to the end with no corrupted frame; for H.264 (the default, skip pictures between
   * snapshots) and for AV1 ({@code RECORDING_CODEC=av1}).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h264", "av1"})
  void pageRecordsTheCameraAndPlaysTheRecordingBack(String codec) throws Exception {
    Path clip = TestFrames.faceCameraClip(dir);
    RecordingConfig config = new RecordingConfig(
        dir.resolve("recordings"),
        RecordingOptions.defaults().withCodec(codec),
        Duration.ofDays(7));
    // Demo mode, as a newcomer runs it: generated secret, dev token endpoint on.
    ServerSettings settings = new ServerSettings(
        "127.0.0.1", 0, config, null, true, ServerSettings.DEFAULT_MAX_FRAME_BYTES, 2);
    try (ExampleServer server = ExampleServer.start(settings);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
            .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright
            .chromium()
            .launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium)
                .setHeadless(true)
                .setArgs(List.of(
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream",
                    "--use-file-for-fake-video-capture=" + clip)))) {
      Page page = browser.newPage();
      page.setDefaultTimeout(60_000);
      page.onConsoleMessage(m -> System.out.println("[browser " + m.type() + "] " + m.text()));
      page.navigate(server.baseUri() + "/");
      page.selectOption(
          "#resolution", "640x480"); // light on the CI machine; the server pacing is the same

      page.click("#start");
      page.waitForFunction("() => window.snapreel.running && window.snapreel.framesSent > 0");
      long recordingFrom = System.nanoTime();
      page.waitForFunction("() => window.snapreel.lastDetection !== null");
      page.waitForTimeout(RECORD_SECONDS * 1000);
      // The last detection reply while recording (one that arrives after the stop says inactive).
      @SuppressWarnings("unchecked")
      Map<String, Object> detection =
          (Map<String, Object>) page.evaluate("() => window.snapreel.lastDetection");
      page.click("#stop");
      double recordedSeconds = (System.nanoTime() - recordingFrom) / 1e9;

      // The page lists the recording with a player that has loaded the video's metadata.
      page.waitForFunction("() => { const v = document.querySelector('#recordings video');"
          + " return v && v.readyState >= 1 && isFinite(v.duration) && v.duration > 0; }");
      double playerSeconds = ((Number)
              page.evaluate("() => document.querySelector('#recordings video').duration"))
          .doubleValue();
      String error = (String) page.evaluate("() => window.snapreel.lastError");
      assertThat(error).as("page error").isNull();

      assertThat(((Number) detection.get("faces_detected")).intValue())
          .as("the fake camera shows a face")
          .isEqualTo(1);
      assertThat(page.textContent("#stat-faces")).isEqualTo("1");
      @SuppressWarnings("unchecked")
      Map<String, Object> recordingState = (Map<String, Object>) detection.get("recording");
      assertThat(recordingState.get("enabled")).isEqualTo(true);
      assertThat(recordingState.get("active")).isEqualTo(true);
      int framesSent = ((Number) page.evaluate("() => window.snapreel.framesSent")).intValue();
      assertThat(framesSent)
          .as("about 5 snapshots per second")
          .isBetween((int) (recordedSeconds * 3), (int) (recordedSeconds * 5.5) + 2);

      // Download what the page recorded, with the page's own token.
      String token = (String) page.evaluate("() => window.snapreel.token");
      String recordingId =
          (String) page.evaluate("() => window.snapreel.stoppedRecording.recording_id");
      ApiClient api = new ApiClient(server.baseUri());
      JsonNode meta = api.get("/api/recordings/" + recordingId, token).json();
      assertThat(meta.get("status").asText()).isEqualTo("completed");
      ApiClient.Response download = api.get("/api/recordings/" + recordingId + "/download", token);
      assertThat(download.status()).isEqualTo(200);
      Path video = dir.resolve("recorded.mp4");
      Files.write(video, download.body());

      VideoProbe probe = VideoProbe.of(video);
      System.out.printf(
          "browser recording: recorded %.2f s, sent %d snapshots, file %.2f s / %d frames, player %.2f s%n",
          recordedSeconds,
          framesSent,
          probe.durationSeconds(),
          probe.decodedFrames(),
          playerSeconds);
      assertThat(probe.codec()).isEqualTo(codec);
      assertThat(probe.frameRate()).isCloseTo(30.0, within(0.01));
      assertThat(probe.width()).isEqualTo(640);
      assertThat(probe.height()).isEqualTo(480);
      assertThat(probe.durationSeconds()).isCloseTo(recordedSeconds, within(1.5));
      assertThat(probe.durationSeconds())
          .isCloseTo(meta.get("duration_seconds").asDouble(), within(0.1));
      assertThat(playerSeconds)
          .as("<video> duration")
          .isCloseTo(probe.durationSeconds(), within(0.15));

      // Chromium decodes the whole file (new pictures and the skip pictures between them): play it
      // to the end, faster than real time, and ask the player what it decoded.
      page.evaluate("() => { const v = document.querySelector('#recordings video');"
          + " v.muted = true; v.playbackRate = 4; return v.play(); }");
      page.waitForFunction(
          "() => document.querySelector('#recordings video').ended",
          null,
          new Page.WaitForFunctionOptions().setTimeout(30_000));
      @SuppressWarnings("unchecked")
      Map<String, Object> played = (Map<String, Object>)
          page.evaluate("() => { const v = document.querySelector('#recordings video');"
              + " const q = v.getVideoPlaybackQuality();"
              + " return {total: q.totalVideoFrames, corrupted: q.corruptedVideoFrames, error: v.error ? v.error.message : null,"
              + " time: v.currentTime}; }");
      System.out.println("browser playback: " + played);
      assertThat(played.get("error")).as("media error").isNull();
      assertThat(((Number) played.get("corrupted")).intValue())
          .as("corrupted frames")
          .isZero();
      assertThat(((Number) played.get("total")).longValue())
          .as("frames the player handled")
          .isGreaterThan(probe.decodedFrames() / 2);
      assertThat(((Number) played.get("time")).doubleValue())
          .isCloseTo(probe.durationSeconds(), within(0.15));
    }
  }
}

// snapreel example page: plain JS, no build step.
// Flow: token -> camera -> POST session -> POST start recording -> WebSocket (5 JPEG/s) -> stop -> list.
"use strict";

const SNAPSHOT_INTERVAL_MS = 200; // 5 FPS, as the specification asks
const JPEG_QUALITY = 0.8;
const $ = (id) => document.getElementById(id);

// Exposed for the end-to-end test and for curious developers (open the console).
const state = (window.snapreel = {
  token: null,
  sessionId: null,
  running: false,
  framesSent: 0,
  lastDetection: null,
  lastError: null,
  recordings: [],
  stoppedRecording: null,
});

let ws = null;
let timer = null;
let pingTimer = null;
let stream = null;
let sending = false;

function setStatus(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
  if (error) state.lastError = text;
}

async function token() {
  const pasted = $("token").value.trim();
  if (pasted) return pasted;
  const user = encodeURIComponent($("user").value.trim() || "demo");
  const res = await fetch(`/api/dev/token?user_id=${user}`);
  if (res.status === 404) {
    $("token-row").hidden = false;
    throw new Error("This server has JWT_SECRET set: paste a token signed with it.");
  }
  if (!res.ok) throw new Error(`token: ${(await res.json()).message}`);
  return (await res.json()).access_token;
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${state.token}` };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const data = res.headers.get("Content-Type")?.startsWith("application/json") ? await res.json() : null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${data ? data.message : ""}`);
  return data;
}

async function start() {
  $("start").disabled = true;
  try {
    state.token = await token();
    setStatus("Opening the camera…");
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    $("preview").srcObject = stream;
    await $("preview").play();

    const session = await api("POST", "/api/focus/sessions", {
      session_name: $("session-name").value,
      subject: $("subject").value,
      initial_score: 100,
    });
    state.sessionId = session.session_id;
    $("stat-session").textContent = session.session_id;

    const fps = encodeURIComponent($("fps").value);
    const resolution = encodeURIComponent($("resolution").value);
    await api("POST", `/api/recordings/sessions/${state.sessionId}/start?fps=${fps}&resolution=${resolution}`);

    state.running = true;
    connect();
    timer = setInterval(sendSnapshot, SNAPSHOT_INTERVAL_MS);
    $("stop").disabled = false;
    setStatus("Recording… the server writes 30 FPS from 5 snapshots per second.");
  } catch (e) {
    setStatus(String(e.message || e), true);
    cleanupCamera();
    $("start").disabled = false;
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  // Browsers cannot set headers on a WebSocket: the token goes in the query string.
  const url = `${scheme}://${location.host}/api/focus/ws/${state.sessionId}` +
    `?enable_recording=true&token=${encodeURIComponent(state.token)}`;
  ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  ws.onmessage = (event) => onServerMessage(JSON.parse(event.data));
  ws.onclose = () => {
    clearInterval(pingTimer);
    // A dropped connection does not stop the recording: reconnect and carry on.
    if (state.running) setTimeout(() => state.running && connect(), 1000);
  };
  ws.onopen = () => {
    pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: "ping" })), 15000);
  };
}

function sendSnapshot() {
  const video = $("preview");
  if (!ws || ws.readyState !== WebSocket.OPEN || sending || !video.videoWidth) return;
  if (ws.bufferedAmount > 2 * 1024 * 1024) return; // slow network: skip rather than queue up
  sending = true;
  const canvas = sendSnapshot.canvas || (sendSnapshot.canvas = document.createElement("canvas"));
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  // Binary JPEG; the server also accepts {"type":"frame","image": canvas.toDataURL("image/jpeg", 0.8)}.
  canvas.toBlob(async (blob) => {
    try {
      if (blob && ws.readyState === WebSocket.OPEN) {
        ws.send(await blob.arrayBuffer());
        state.framesSent++;
        $("stat-sent").textContent = state.framesSent;
      }
    } finally {
      sending = false;
    }
  }, "image/jpeg", JPEG_QUALITY);
}

function onServerMessage(msg) {
  if (msg.type === "pong") return;
  if (msg.type === "error") {
    setStatus(`Server: ${msg.message}`, true);
    return;
  }
  if (msg.type === "session_ended") return;
  if (msg.type !== "detection") return;
  state.lastDetection = msg;
  $("stat-faces").textContent = msg.faces_detected;
  $("stat-attention").textContent = msg.attention;
  $("stat-score").textContent = msg.focus_score.toFixed(1);
  const r = msg.recording;
  $("stat-recording").textContent = r.enabled ? (r.active ? "active" : "not active") : "disabled";
  $("stat-written").textContent = r.frames_written ?? "–";
  $("stat-dropped").textContent = r.frames_dropped ?? "–";
  drawOverlay(msg);
}

function drawOverlay(msg) {
  const video = $("preview");
  const canvas = $("overlay");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (msg.face) {
    g.strokeStyle = msg.centered ? "#2ecc40" : "#ff851b";
    g.lineWidth = 4;
    g.strokeRect(msg.face.x * canvas.width, msg.face.y * canvas.height,
      msg.face.width * canvas.width, msg.face.height * canvas.height);
  }
  g.fillStyle = "rgba(0,0,0,.55)";
  g.fillRect(0, 0, 230, 34);
  g.fillStyle = "#fff";
  g.font = "18px system-ui, sans-serif";
  g.fillText(`${msg.attention} · focus ${msg.focus_score.toFixed(0)}`, 8, 23);
}

async function stop() {
  $("stop").disabled = true;
  state.running = false;
  clearInterval(timer);
  setStatus("Finishing the video…");
  try {
    state.stoppedRecording = await api("POST", `/api/recordings/sessions/${state.sessionId}/stop`);
    await api("POST", `/api/focus/sessions/${state.sessionId}/end`, { status: "completed" });
    setStatus(`Saved ${state.stoppedRecording.duration_seconds.toFixed(1)} s of video.`);
  } catch (e) {
    setStatus(String(e.message || e), true);
  } finally {
    if (ws) ws.close();
    cleanupCamera();
    $("start").disabled = false;
  }
  await listRecordings();
}

function cleanupCamera() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
}

async function listRecordings() {
  if (!state.token) state.token = await token();
  const { recordings } = await api("GET", "/api/recordings/");
  state.recordings = recordings;
  const list = $("recordings");
  list.replaceChildren();
  for (const rec of recordings) {
    const box = document.createElement("div");
    box.className = "recording";
    box.dataset.recordingId = rec.recording_id;
    const title = document.createElement("div");
    title.textContent = `${rec.filename} – ${rec.status}, ${rec.duration_seconds.toFixed(1)} s, ` +
      `${rec.fps} fps ${rec.resolution_width}x${rec.resolution_height}, ${(rec.file_size_bytes / 1e6).toFixed(2)} MB`;
    box.append(title);
    if (rec.status === "completed" || rec.status === "recovered" || (rec.status === "failed" && rec.file_size_bytes > 0)) {
      // <video> cannot send an Authorization header: ask for a short-lived URL bound to this recording.
      const { download_url } = await api("POST", `/api/recordings/${rec.recording_id}/download-token`);
      const video = document.createElement("video");
      video.controls = true;
      video.preload = "metadata";
      video.src = download_url;
      const link = document.createElement("a");
      link.href = download_url;
      link.download = rec.filename;
      link.textContent = "Download";
      box.append(video, link, " ");
    }
    const del = document.createElement("button");
    del.textContent = "Delete";
    del.onclick = async () => {
      await api("DELETE", `/api/recordings/${rec.recording_id}`);
      await listRecordings();
    };
    box.append(del);
    list.append(box);
  }
  if (!recordings.length) list.textContent = "No recordings yet.";
}

$("start").onclick = start;
$("stop").onclick = stop;
$("refresh").onclick = () => listRecordings().catch((e) => setStatus(String(e.message || e), true));

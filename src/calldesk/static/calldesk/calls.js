// Live call screens (R-OPS-2): the agent's desk and the wallboard, fed over WebSockets.
(function () {
  "use strict";

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : {};
  }

  function connect(path, onMessage, onState) {
    var socket = null;
    var delay = 500;
    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + path);
      socket.onopen = function () { delay = 500; onState(true); };
      socket.onmessage = function (e) { onMessage(JSON.parse(e.data)); };
      socket.onclose = function () {
        onState(false);
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 8000);
      };
    }
    open();
    return { send: function (data) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(data)); } };
  }

  var labels = json("state-labels");
  var hotlines = json("hotline-names");

  function label(state) { return labels[state] || state; }

  function seconds(s) {
    s = Math.max(0, Math.round(s || 0));
    var m = Math.floor(s / 60);
    return m + ":" + String(s % 60).padStart(2, "0");
  }

  // --- the agent's desk ------------------------------------------------------------------
  var agent = document.getElementById("agent");
  if (agent) {
    var text = json("desk-text");
    var stateEl = document.getElementById("agent-state");
    var reasonEl = document.getElementById("agent-reason");
    var pendingEl = document.getElementById("agent-pending");
    var errorEl = document.getElementById("agent-error");
    var callEl = document.getElementById("call");
    var current = { state: "offline", call: null, ringing: false };

    var ws = connect(agent.dataset.ws, onDesk, function (up) {
      if (!up) stateEl.textContent = text.disconnected;
    });

    function render() {
      stateEl.textContent = label(current.state);
      stateEl.dataset.state = current.state;
      agent.dataset.state = current.state;
      var call = current.call;
      callEl.hidden = !call;
      if (!call) return;
      var phase = current.state === "reserved" ? "ringing" : current.state;
      callEl.dataset.phase = phase;
      document.getElementById("call-title").textContent =
        (phase === "ringing" ? text.ringing : text.connected) + " · " + (hotlines[call.hotline] || call.hotline);
      document.getElementById("call-meta").textContent =
        text.number + ": " + (call.number || "—") + (call.rule ? " · " + text.rule + ": " + call.rule : "");
      document.querySelectorAll("#call-controls [data-when]").forEach(function (el) {
        var show = el.dataset.when.split(" ").indexOf(phase) >= 0;
        el.hidden = !show;
      });
    }

    function showCall(call, html) {
      var fresh = !current.call || current.call.call_id !== call.call_id;
      current.call = call;
      if (html !== undefined && (fresh || html)) document.getElementById("call-card").innerHTML = html;
      var panel = document.getElementById("call-panel");
      if (fresh && agent.dataset.panelUrl && call.hotline && window.htmx) {
        panel.innerHTML = "";
        var url = agent.dataset.panelUrl.replace("00000000-0000-0000-0000-000000000000", call.call_id);
        if (current.state !== "reserved") window.htmx.ajax("GET", url, { target: panel, swap: "innerHTML" });
        panel.dataset.url = url;
      }
    }

    function onDesk(msg) {
      errorEl.textContent = "";
      if (msg.type === "agent.sync") {
        if (!msg.known) return;
        current.state = msg.state;
        reasonEl.textContent = msg.reason || "";
        current.call = null;
        if (msg.call) showCall(msg.call, msg.card_html);
      } else if (msg.type === "agent.state") {
        current.state = msg.state;
        reasonEl.textContent = msg.reason || "";
        pendingEl.textContent = "";
        if (["talking", "on_hold", "reserved"].indexOf(msg.state) < 0) current.call = null;
      } else if (msg.type === "call.offer") {
        if (msg.call) showCall(msg.call, msg.card_html);
        var answer = document.querySelector("[data-action=answer]");
        if (answer) setTimeout(function () { answer.focus(); }, 0);
      } else if (msg.type === "call.connected") {
        if (msg.call) showCall(msg.call, msg.card_html);
        var panel = document.getElementById("call-panel");
        if (panel.dataset.url && window.htmx && !panel.innerHTML) {
          window.htmx.ajax("GET", panel.dataset.url, { target: panel, swap: "innerHTML" });
        }
      } else if (msg.type === "call.stop" || msg.type === "call.ended" || msg.type === "call.left") {
        if (current.call && current.call.call_id === msg.call_id) current.call = null;
      } else if (msg.type === "agent.error") {
        errorEl.textContent = msg.reason;
      }
      render();
    }

    document.addEventListener("click", function (e) {
      var button = e.target.closest("[data-action]");
      if (!button) return;
      var data = { action: button.dataset.action };
      if (current.call) data.call_id = current.call.call_id;
      if (data.action === "break") data.reason = document.getElementById("break-reason").value;
      if (data.action === "break" || data.action === "ready") {
        data.when_free = document.getElementById("when-free").checked &&
          ["talking", "on_hold"].indexOf(current.state) >= 0;
        if (data.when_free) pendingEl.textContent = "→ " + label(data.action);
      }
      if (data.action === "transfer") {
        data.to = button.dataset.to;
        if (data.to === "queue") data.value = document.getElementById("transfer-queue").value;
      }
      ws.send(data);
    });
  }

  // --- the wallboard ---------------------------------------------------------------------
  var board = document.getElementById("wallboard");
  if (board) {
    var status = document.getElementById("wb-status");
    connect(board.dataset.ws, onBoard, function (up) { status.textContent = up ? "●" : "○"; });

    function cell(row, value, cls) {
      var td = document.createElement("td");
      if (cls) td.className = cls;
      td.textContent = value;
      row.appendChild(td);
      return td;
    }

    function percent(v) { return v === null || v === undefined ? "—" : (100 * v).toFixed(1) + " %"; }

    function byState(counts) {
      return Object.keys(counts || {}).sort().map(function (k) { return label(k) + " " + counts[k]; }).join(", ");
    }

    function onBoard(msg) {
      if (msg.type !== "wallboard") return;
      var body = document.querySelector("#wb-hotlines tbody");
      body.innerHTML = "";
      msg.hotlines.forEach(function (h) {
        var s = (msg.stats || {})[h.code] || {};
        var row = document.createElement("tr");
        row.dataset.hotline = h.code;
        cell(row, hotlines[h.code] || h.code);
        cell(row, h.waiting, "num waiting");
        cell(row, seconds(h.longest_wait_s), "num");
        cell(row, h.ringing, "num");
        cell(row, h.talking, "num");
        cell(row, h.callbacks, "num");
        cell(row, "");
        cell(row, s.offered || 0, "num");
        cell(row, percent(s.service_level), "num sl");
        cell(row, s.asa_s === null || s.asa_s === undefined ? "—" : Math.round(s.asa_s) + " s", "num");
        cell(row, percent(s.abandon_rate), "num");
        body.appendChild(row);
        h.queues.forEach(function (q) {
          var qrow = document.createElement("tr");
          qrow.className = "queue";
          qrow.dataset.queue = q.name;
          cell(qrow, "↳ " + q.name);
          cell(qrow, q.waiting, "num");
          cell(qrow, seconds(q.longest_wait_s), "num");
          cell(qrow, ""); cell(qrow, ""); cell(qrow, "");
          cell(qrow, byState(q.agents));
          cell(qrow, ""); cell(qrow, ""); cell(qrow, ""); cell(qrow, "");
          body.appendChild(qrow);
        });
      });
      var agents = document.querySelector("#wb-agents tbody");
      agents.innerHTML = "";
      msg.agents.forEach(function (a) {
        var row = document.createElement("tr");
        row.dataset.agent = a.id;
        row.dataset.state = a.state;
        cell(row, a.name);
        cell(row, label(a.state), "state");
        cell(row, a.reason || "");
        cell(row, seconds(msg.now - a.since), "num");
        agents.appendChild(row);
      });
    }
  }
})();

// tuanhang: the application's draft saved on the server as the user goes (issue 18).
// - <form data-autosave-url>: its fields are posted there 1.5 s after the last change; a file
//   chosen for a document is posted at once, alone (with the fields, never with another file), so
//   a connection dropped later keeps it. One request at a time; what fails is tried again when the
//   browser is back online.
// - The first save creates the draft: the address bar and the form then point to the draft's
//   page (history.replaceState), so a reload shows it.
// - Field errors are not shown: only the form's own submit validates everything.
// Without JS the form posts as before.
(function () {
  "use strict";

  var DEBOUNCE_MS = 1500;
  var RETRY_MS = 20000; // also when the browser never reports going offline (a server that did not answer)

  window.tuanhang.ready(function () {
    var form = document.querySelector("form[data-autosave-url]");
    var status = document.getElementById("autosave-status");
    if (!form || !status || !window.fetch || !window.FormData) {
      return;
    }
    var saveUrl = form.getAttribute("data-autosave-url");
    var timer = null;
    var busy = false;
    var stopped = false;
    var fieldsDirty = false;
    var files = []; // {pk, input, file, consent}
    var waitingSubmit = null;
    var waitingUpload = null;

    function say(text) {
      status.textContent = text || "";
    }

    function documentKey(input) {
      var match = /^document_(\d+)$/.exec(input.name);
      if (match) {
        return match[1];
      }
      var item = input.closest("li[data-document-type]");
      return item ? item.getAttribute("data-document-type") : null;
    }

    function consentBox(input, pk) {
      var item = input.closest("li[data-document-type]");
      return form.elements["consent_" + pk] || (item && item.querySelector("input[name=consent]"));
    }

    function fieldData() {
      var data = new FormData(form);
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        data.delete(input.name);
      });
      return data;
    }

    function schedule() {
      fieldsDirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(flush, DEBOUNCE_MS);
    }

    function chooseFile(input) {
      var pk = documentKey(input);
      if (!pk || !input.files || !input.files.length) {
        return;
      }
      var consent = consentBox(input, pk);
      if (consent && !consent.checked) {
        return; // an identity document waits for its consent box
      }
      files = files.filter(function (job) {
        return job.pk !== pk;
      });
      files.push({ pk: pk, input: input, file: input.files[0], consent: !!consent });
      flush();
    }

    function note(job, text, refused) {
      var holder = job.input.parentNode;
      var line = holder.querySelector("[data-autosaved]");
      if (!line) {
        line = document.createElement("div");
        line.setAttribute("data-autosaved", "");
        holder.appendChild(line);
      }
      line.className = "small mt-1 " + (refused ? "text-danger" : "text-success");
      line.textContent = text;
    }

    function adopt(answer) {
      if (answer.save_url && answer.save_url !== saveUrl) {
        saveUrl = answer.save_url;
        form.setAttribute("data-autosave-url", saveUrl);
        form.setAttribute("action", answer.edit_url);
        window.history.replaceState(null, "", answer.edit_url);
      }
    }

    function finished(job, answer) {
      if (!job) {
        return;
      }
      files.shift();
      if (answer.documents && answer.documents[job.pk]) {
        job.input.value = ""; // stored: the form's own post need not send it again
        job.input.required = false; // nor may the browser refuse that post for an empty box
        note(job, answer.documents[job.pk] + " · " + status.getAttribute("data-uploaded"), false);
      } else if (answer.refused && answer.refused[job.pk]) {
        note(job, answer.refused[job.pk].join(" "), true);
      }
    }

    function flush() {
      window.clearTimeout(timer);
      if (busy || stopped) {
        return;
      }
      var job = files[0] || null;
      if (!job && !fieldsDirty) {
        release();
        return;
      }
      var data = fieldData();
      if (job) {
        data.append("document_" + job.pk, job.file, job.file.name);
        if (job.consent) {
          data.append("consent_" + job.pk, "on");
        }
      } else {
        fieldsDirty = false;
      }
      busy = true;
      say(status.getAttribute("data-saving"));
      window
        .fetch(saveUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
        })
        .then(function (response) {
          return response.json().then(function (answer) {
            return { ok: response.ok, answer: answer };
          });
        })
        .then(
          function (result) {
            busy = false;
            if (!result.ok) {
              stopped = true; // refused (submitted, closed): the form's own button says why
              say(result.answer.message);
              release();
              return;
            }
            adopt(result.answer);
            finished(job, result.answer);
            say(result.answer.status);
            flush();
          },
          function () {
            busy = false;
            if (!job) {
              fieldsDirty = true;
            }
            say(status.getAttribute("data-offline"));
            timer = window.setTimeout(flush, RETRY_MS);
            release();
          }
        );
    }

    // A submit while a save is on its way waits for it, then goes to the draft's page. A document's
    // own upload button (the draft's page) pressed while its photo is being saved waits too, then
    // shows the page again; if the save failed, that form posts the file itself.
    function release() {
      if (waitingUpload && !busy) {
        var upload = waitingUpload;
        waitingUpload = null;
        if (upload.querySelector("[data-autosaved].text-danger")) {
          return; // refused: the line under the file says why
        }
        if (!files.length && !fieldsDirty && !stopped) {
          window.location.reload();
        } else {
          files = [];
          upload.setAttribute("data-posting", "");
          upload.requestSubmit();
        }
        return;
      }
      if (waitingSubmit && !busy) {
        var submitter = waitingSubmit;
        waitingSubmit = null;
        files = [];
        form.requestSubmit(submitter.tagName ? submitter : undefined);
      }
    }

    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      fieldsDirty = false; // the post carries every field
      if (busy || (files.length && !stopped)) {
        event.preventDefault();
        waitingSubmit = event.submitter || true;
        flush();
      }
    });

    document.querySelectorAll("li[data-document-type] form").forEach(function (upload) {
      if (form.contains(upload)) {
        return;
      }
      upload.addEventListener("submit", function (event) {
        var input = upload.querySelector("input[type=file]");
        if (!input || stopped || upload.hasAttribute("data-posting")) {
          return;
        }
        var pending = files.some(function (job) {
          return job.input === input;
        });
        var saved = !!upload.querySelector("[data-autosaved].text-success");
        if (!pending && input.files && input.files.length) {
          var consent = consentBox(input, documentKey(input));
          if (consent && !consent.checked) {
            return; // the server's answer names the missing consent
          }
          chooseFile(input);
          pending = true;
        }
        if (!pending && !saved) {
          return; // no file chosen: the server's answer says so
        }
        event.preventDefault();
        waitingUpload = upload;
        flush();
      });
    });

    document.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "file") {
        chooseFile(target);
      } else if (/^consent(_\d+)?$/.test(target.name || "") && target.checked) {
        var item = target.closest("li[data-document-type]");
        var input = item ? item.querySelector("input[type=file]") : form.elements["document_" + target.name.slice(8)];
        if (input) {
          chooseFile(input);
        }
      } else if (form.contains(target)) {
        schedule();
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "file") {
        schedule();
      }
    });
    window.addEventListener("online", flush);
  });
})();

// The venue site's page: plain JavaScript, no build step. It never sees the client secret after login,
// nor the API token: every call goes to this site's server, which adds the token.
(function () {
  "use strict";
  var $ = function (selector) {
    return document.querySelector(selector);
  };
  var session = null;

  function say(text, isError) {
    $("#message").textContent = text;
    $("#message").className = isError ? "error" : "";
  }

  // Calls this site's server; throws with the API's message (and code) when it answers errors.
  function api(path, body) {
    return fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (result) {
        if (result.errors) {
          var error = new Error(
            result.errors
              .map(function (e) {
                return e.message;
              })
              .join(" "),
          );
          error.status = response.status;
          throw error;
        }
        return result;
      });
    });
  }
  function operation(name, variables) {
    return api("/api/operations/" + name, { variables: variables }).then(function (result) {
      return result.data;
    });
  }

  // A GraphQL multipart request (operations, map, files) sent with XMLHttpRequest for its upload progress events.
  function upload(query, variables, files, fileVariable) {
    return new Promise(function (resolve, reject) {
      var form = new FormData();
      var map = {};
      files.forEach(function (_file, index) {
        map[String(index)] = [fileVariable === "files" ? "variables.files." + index : "variables.file"];
      });
      form.append("operations", JSON.stringify({ query: query, variables: variables }));
      form.append("map", JSON.stringify(map));
      files.forEach(function (file, index) {
        form.append(String(index), file, file.name);
      });
      var request = new XMLHttpRequest();
      request.open("POST", "/api/upload");
      request.setRequestHeader("apollo-require-preflight", "true");
      request.upload.onprogress = function (event) {
        if (!event.lengthComputable) return;
        var percent = Math.round((event.loaded / event.total) * 100);
        $("#upload-progress").value = percent;
        $("#upload-percent").textContent = percent + " %";
      };
      request.onload = function () {
        var result;
        try {
          result = JSON.parse(request.responseText);
        } catch {
          return reject(new Error("Upload failed (HTTP " + request.status + ")."));
        }
        if (result.errors)
          return reject(
            new Error(
              result.errors
                .map(function (e) {
                  return e.message;
                })
                .join(" "),
            ),
          );
        resolve(result.data);
      };
      request.onerror = function () {
        reject(new Error("The upload was interrupted; try again."));
      };
      request.send(form);
    });
  }

  function showProgress(sent, total) {
    var percent = Math.floor((sent / total) * 100);
    $("#upload-progress").value = percent;
    $("#upload-percent").textContent = percent + " %";
  }

  // One part of a resumable upload: exactly its bytes of the file, PUT through this site's server to its signed URL.
  function sendPart(file, part, onProgress) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("PUT", "/api/upload-part?url=" + encodeURIComponent(part.url));
      request.upload.onprogress = function (event) {
        onProgress(event.loaded);
      };
      request.onload = function () {
        if (request.status === 200) resolve();
        else reject(new Error("Part " + part.number + " was refused (HTTP " + request.status + ")."));
      };
      request.onerror = function () {
        reject(new Error("The connection was lost."));
      };
      request.send(file.slice(part.offset, part.offset + part.byteSize));
    });
  }

  // Resumable upload of a large video (the API's S3-multipart protocol): open it, send the parts not yet received,
  // and after a lost connection ask which parts arrived and send only the rest; then complete.
  function uploadResumable(file, entryId) {
    var contentType = file.type === "video/quicktime" ? "video/quicktime" : "video/mp4";
    return operation("StartMediaUpload", { input: { entryId: entryId, byteSize: file.size, contentType: contentType } }).then(function (data) {
      var uploadId = data.startMediaUpload.id;
      function sendMissing(parts, attempt) {
        var sent = parts
          .filter(function (part) {
            return part.received;
          })
          .reduce(function (sum, part) {
            return sum + part.byteSize;
          }, 0);
        var chain = Promise.resolve();
        parts
          .filter(function (part) {
            return !part.received;
          })
          .forEach(function (part) {
            chain = chain.then(function () {
              return sendPart(file, part, function (loaded) {
                showProgress(sent + loaded, file.size);
              }).then(function () {
                sent += part.byteSize;
                showProgress(sent, file.size);
              });
            });
          });
        return chain.catch(function (error) {
          if (attempt >= 8) throw error;
          say("Connection lost; resuming the upload…");
          return new Promise(function (resolve) {
            setTimeout(resolve, 500 * (attempt + 1));
          })
            .then(function () {
              return operation("MediaUpload", { id: uploadId });
            })
            .then(function (status) {
              return sendMissing(status.mediaUpload.parts, attempt + 1);
            });
        });
      }
      return sendMissing(data.startMediaUpload.parts, 0).then(function () {
        say("Checking the video…");
        return operation("CompleteMediaUpload", { uploadId: uploadId });
      });
    });
  }

  function showLoggedIn(loaded) {
    session = loaded;
    $("#login").hidden = true;
    $("#app").hidden = false;
    $("#logout").hidden = false;
    $("#who").textContent = loaded.venue.name + " (" + loaded.venue.code + ")";
    return Promise.all([loadRules(), loadEntries()]);
  }
  function showLoggedOut() {
    session = null;
    $("#login").hidden = false;
    $("#app").hidden = true;
    $("#logout").hidden = true;
    $("#who").textContent = "";
  }

  function loadRules() {
    return operation("CompetitionRules", { locale: navigator.language.slice(0, 2) }).then(function (data) {
      var rules = data.competition;
      $("[name=theme]").innerHTML = "";
      rules.themes.forEach(function (theme) {
        var option = document.createElement("option");
        option.value = theme.code;
        option.textContent = theme.name;
        $("[name=theme]").appendChild(option);
      });
      $("#limits").textContent =
        "Photo sets: " +
        rules.minPhotosPerSet +
        " to " +
        rules.maxPhotosPerSet +
        " JPEG or PNG photos, at least " +
        rules.minPhotoLongSide +
        " px on the long side, at most " +
        Math.round(rules.maxPhotoBytes / 1048576) +
        " MB each. Micro-videos: MP4 or MOV, at most " +
        rules.maxVideoSeconds +
        " s. Submissions close " +
        new Date(rules.submissionClosesAt).toLocaleString() +
        ".";
    });
  }

  function loadEntries() {
    return operation("VenueEntries", { code: session.venue.code }).then(function (data) {
      var body = $("#entries tbody");
      body.innerHTML = "";
      data.venue.entries.edges.forEach(function (edge) {
        var entry = edge.node;
        var row = document.createElement("tr");
        row.dataset.entryId = entry.id;
        [
          entry.title,
          entry.theme.code,
          entry.kind,
          entry.entrant ? entry.entrant.name : "",
          entry.status,
          entry.submittedAt ? new Date(entry.submittedAt).toLocaleString() : "",
        ].forEach(function (text, index) {
          var cell = document.createElement("td");
          cell.textContent = text; // textContent, never innerHTML: titles are user input
          if (index === 4) cell.className = "status";
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
    });
  }

  $("#login").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    say("Logging in…");
    api("/api/login", { clientId: form.clientId.value.trim(), clientSecret: form.clientSecret.value })
      .then(function () {
        form.clientSecret.value = ""; // not kept in the page either
        return api("/api/session");
      })
      .then(showLoggedIn)
      .then(function () {
        say("");
      })
      .catch(function (error) {
        say(error.message, true);
      });
  });

  $("#logout").addEventListener("click", function () {
    api("/api/logout", {}).then(showLoggedOut);
  });
  $("#refresh").addEventListener("click", function () {
    loadEntries().catch(function (error) {
      say(error.message, true);
    });
  });

  // One idempotency key per filled-in form: a retry after a failure reuses the same draft instead of creating another.
  var idempotencyKey = crypto.randomUUID();
  var draftId = null;

  $("#entry").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var files = Array.prototype.slice.call(form.files.files);
    var isVideo = form.kind.value === "MICRO_VIDEO";
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    $("#progress").hidden = false;
    $("#upload-progress").value = 0;
    $("#upload-percent").textContent = "0 %";
    say("Creating the entry…");
    var input = {
      venueId: session.venue.id,
      theme: form.theme.value,
      kind: form.kind.value,
      title: form.title.value.trim(),
      description: form.description.value.trim() || null,
      entrant: {
        name: form.entrantName.value.trim(),
        email: form.entrantEmail.value.trim(),
        country: form.entrantCountry.value.trim().toUpperCase(),
        phone: form.entrantPhone.value.trim() || null,
      },
      consentToRules: form.consentToRules.checked,
      consentToPublication: form.consentToPublication.checked,
      declaresNoGenerativeAi: form.declaresNoGenerativeAi.checked,
      idempotencyKey: idempotencyKey,
    };
    operation("CreateEntry", { input: input })
      .then(function (data) {
        draftId = data.createEntry.id;
        say("Uploading " + files.length + " file(s)…");
        return isVideo
          ? uploadResumable(files[0], draftId)
          : upload(
              session.uploadPhotos,
              {
                entryId: draftId,
                files: files.map(function () {
                  return null;
                }),
              },
              files,
              "files",
            );
      })
      .then(function () {
        say("Submitting…");
        return operation("SubmitEntry", { id: draftId });
      })
      .then(function (data) {
        say('Entry "' + input.title + '" is ' + data.submitEntry.status + ".");
        form.reset();
        idempotencyKey = crypto.randomUUID();
        draftId = null;
        return loadEntries();
      })
      .catch(function (error) {
        say(error.message + (draftId ? " The draft is kept; fix the problem and try again." : ""), true);
      })
      .then(function () {
        button.disabled = false;
      });
  });

  // Already logged in (a reload): the cookie still names a session on the server.
  api("/api/session").then(showLoggedIn).catch(showLoggedOut);
})();

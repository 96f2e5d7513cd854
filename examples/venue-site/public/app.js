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

  // The resumable upload of the video being sent, kept after a failure so that pressing the button again resumes it.
  var unfinished = null; // { entryId, file, upload: the API's MediaUpload }

  // Resumable upload of a large video with Uppy's S3 multipart uploader (@uppy/aws-s3, from the prebuilt bundle
  // window.Uppy), driven against the API's S3-multipart-style protocol through this site's server. Uppy sends the
  // parts three at a time, sends a part again when its connection was cut (a few times, then it gives up), and
  // waits while the browser is offline. After it gave up, the next attempt for the same draft and file resumes the
  // same upload: Uppy asks the API which parts arrived (listParts) and sends only the others.
  function uploadResumable(file, entryId) {
    var contentType = file.type === "video/quicktime" ? "video/quicktime" : "video/mp4";
    var resuming = unfinished !== null && unfinished.entryId === entryId && unfinished.file === file;
    // The API chooses the part size when the upload is opened, and Uppy cuts the file into chunks before it calls
    // createMultipartUpload: so the upload is opened first, and createMultipartUpload hands Uppy the opened one.
    var opening = resuming
      ? Promise.resolve(unfinished.upload)
      : operation("StartMediaUpload", { input: { entryId: entryId, byteSize: file.size, contentType: contentType } }).then(function (data) {
          return data.startMediaUpload;
        });
    return opening.then(function (opened) {
      unfinished = { entryId: entryId, file: file, upload: opened };
      var parts = opened.parts; // number, offset, byteSize, url (signed for that part), received
      var signed = {};
      var uppy = new Uppy.Uppy({ autoProceed: false });
      uppy.use(Uppy.AwsS3, {
        shouldUseMultipart: true,
        limit: 3,
        // Every chunk but the last must be exactly the API's part: it refuses a part of another length.
        getChunkSize: function () {
          return opened.partSize;
        },
        createMultipartUpload: function () {
          return { uploadId: opened.id, key: opened.id };
        },
        // The part's URL, signed by the API, PUT through this site's server (which passes the ETag back).
        signPart: function (_file, options) {
          if (signed[options.partNumber]) say("Connection lost; sending part " + options.partNumber + " again…");
          signed[options.partNumber] = true;
          return { url: "/api/upload-part?url=" + encodeURIComponent(parts[options.partNumber - 1].url) };
        },
        // On resuming: the parts the API has (and fresh URLs for the others). An upload that is gone (expired) is
        // forgotten, so the next attempt starts a new one.
        listParts: function (_file, options) {
          say("Resuming the upload…");
          return operation("MediaUpload", { id: options.uploadId }).then(
            function (status) {
              parts = status.mediaUpload.parts;
              return parts
                .filter(function (part) {
                  return part.received;
                })
                .map(function (part) {
                  return { PartNumber: part.number, Size: part.byteSize };
                });
            },
            function (error) {
              unfinished = null;
              throw error;
            },
          );
        },
        // The API joins the recorded parts itself (it kept their ETags), then checks the video by content: a small
        // file comes back attached, a large one is still CHECKING when the call returns, so the page follows the
        // upload until it is ATTACHED (or REJECTED, with the reason). A rejected video is removed with its upload,
        // so the next attempt starts a new one.
        completeMultipartUpload: function (_file, options) {
          say("Checking the video…");
          unfinished = null;
          return operation("CompleteMediaUpload", { uploadId: options.uploadId })
            .then(function () {
              return untilChecked(options.uploadId);
            })
            .then(function () {
              return {};
            });
        },
        // The API has no abort: an upload left unfinished expires (MEDIA_UPLOAD_TTL_SECONDS) and its bytes are swept.
        abortMultipartUpload: function () {},
      });
      uppy.on("upload-progress", function (_file, progress) {
        showProgress(progress.bytesUploaded, progress.bytesTotal);
      });
      var failure = null;
      uppy.on("upload-error", function (_file, error) {
        failure = error;
      });
      var fileId = uppy.addFile({ name: file.name, type: file.type, data: file, source: "Local", isRemote: false });
      // Uppy's way to resume an upload it did not open in this instance: it calls listParts before sending.
      if (resuming) uppy.setFileState(fileId, { s3Multipart: { uploadId: opened.id, key: opened.id } });
      return uppy
        .upload()
        .then(
          function (result) {
            return !failure && result && result.failed.length === 0;
          },
          function (error) {
            failure = failure || error;
            return false;
          },
        )
        .then(function (sent) {
          uppy.destroy();
          if (sent) return;
          throw new Error(
            "The video upload stopped: " +
              uploadErrorMessage(failure).replace(/\.$/, "") +
              "." +
              (unfinished ? " Press the button again to send the rest; the parts already sent are kept." : ""),
          );
        });
    });
  }

  // Follows a completed upload until its checks are done: resolves once ATTACHED, fails with the API's reason once
  // REJECTED. Large files on remote storage take a while (the whole file is read once to find duplicates).
  var CHECK_POLL_MS = 1000;
  function untilChecked(uploadId) {
    return operation("MediaUpload", { id: uploadId }).then(function (data) {
      var upload = data.mediaUpload;
      if (upload.status === "ATTACHED") return undefined;
      if (upload.status === "REJECTED") throw new Error(upload.failure ? upload.failure.message : "The video was refused.");
      return new Promise(function (resolve) {
        setTimeout(resolve, CHECK_POLL_MS);
      }).then(function () {
        return untilChecked(uploadId);
      });
    });
  }

  // The API's message when a request was refused (its JSON answer), else what went wrong.
  function uploadErrorMessage(error) {
    var source = error && error.source;
    if (source && source.status === 0) return "the connection was lost";
    try {
      return JSON.parse(source.responseText).errors[0].message;
    } catch {
      return error ? error.message : "unknown error";
    }
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
        // (A stopped video upload says itself how to go on.)
        say(error.message + (draftId && !unfinished ? " The draft is kept; fix the problem and try again." : ""), true);
      })
      .then(function () {
        button.disabled = false;
      });
  });

  // Already logged in (a reload): the cookie still names a session on the server.
  api("/api/session").then(showLoggedIn).catch(showLoggedOut);
})();

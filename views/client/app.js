// Behaviour the pages need, kept out of inline scripts (the CSP allows only
// 'self'): a form marked `data-auto-submit` (the sign-up hand-off,
// site/views.tsx) submits itself once the page is parsed.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-auto-submit]")) form.requestSubmit();
});

// Alpine components for purely local UI state. The CSP build of Alpine cannot
// evaluate arbitrary inline JavaScript, so behaviour lives here, by name.
document.addEventListener("alpine:init", () => {
  const Alpine = window.Alpine;

  const toggleable = () => ({
    open: false,
    toggle() {
      this.open = !this.open;
    },
    close() {
      this.open = false;
    },
  });
  Alpine.data("menu", toggleable);
  Alpine.data("sidebar", toggleable);

  Alpine.data("dismissable", () => ({
    open: true,
    close() {
      this.open = false;
    },
  }));

  // Copies the value of the input in the same component (an invitation link).
  Alpine.data("copyable", () => ({
    copied: false,
    async copy() {
      const input = this.$root.querySelector("input");
      if (!input) return;
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        document.execCommand("copy");
      }
      this.copied = true;
      setTimeout(() => (this.copied = false), 2000);
    },
  }));
  // Drag-and-drop upload with a progress bar (documents/views.tsx Uploader).
  // htmx 4 reports no upload progress, so files go by XMLHttpRequest, one at a
  // time; the document list then refreshes itself on "documents-changed".
  Alpine.data("uploader", () => ({
    busy: false,
    progress: 0,
    status: "",
    message: "",
    failed: false,
    hovering: false,
    get zoneClass() {
      return this.hovering ? "border-indigo-500 bg-indigo-50" : "";
    },
    get messageClass() {
      return this.failed ? "text-red-700" : "text-emerald-700";
    },
    over(event) {
      event.preventDefault();
      this.hovering = true;
    },
    leave() {
      this.hovering = false;
    },
    drop(event) {
      event.preventDefault();
      this.hovering = false;
      this.send([...(event.dataTransfer?.files ?? [])]);
    },
    choose(event) {
      this.send([...event.target.files]);
      event.target.value = "";
    },
    async send(files) {
      if (files.length === 0 || this.busy) return;
      const { url, csrf, clientId, maxBytes } = this.$root.dataset;
      this.busy = true;
      this.failed = false;
      this.message = "";
      let done = 0;
      for (const file of files) {
        if (file.size > Number(maxBytes)) {
          this.failed = true;
          this.message = `${file.name} is larger than the upload limit.`;
          continue;
        }
        try {
          await this.upload(url, csrf, clientId, file);
          done++;
        } catch (error) {
          this.failed = true;
          this.message = `${file.name}: ${error.message}`;
        }
      }
      this.busy = false;
      if (done > 0) {
        if (!this.failed) this.message = done === 1 ? "Uploaded 1 file." : `Uploaded ${done} files.`;
        document.body.dispatchEvent(new CustomEvent("documents-changed"));
      }
    },
    upload(url, csrf, clientId, file) {
      return new Promise((resolve, reject) => {
        const form = new FormData();
        if (clientId) form.append("client_id", clientId);
        form.append("file", file, file.name);
        const request = new XMLHttpRequest();
        request.open("POST", url);
        request.setRequestHeader("X-CSRF-Token", csrf);
        request.setRequestHeader("Accept", "application/json");
        this.progress = 0;
        this.status = `Uploading ${file.name}…`;
        request.upload.addEventListener("progress", (event) => {
          if (!event.lengthComputable) return;
          this.progress = Math.round((event.loaded / event.total) * 100);
          this.status = `Uploading ${file.name}: ${this.progress}%`;
        });
        request.addEventListener("load", () => {
          if (request.status >= 200 && request.status < 300) return resolve();
          let message = `upload failed (${request.status})`;
          try {
            message = JSON.parse(request.responseText).error.message;
          } catch {}
          reject(new Error(message));
        });
        request.addEventListener("error", () => reject(new Error("the connection failed")));
        request.send(form);
      });
    },
  }));
});

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
});

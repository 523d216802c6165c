// Main-thread long tasks (> 50 ms) for the whole life of the page: observed before
// any module loads, so nothing the widget does escapes it.
(() => {
  const entries = [];
  const supported = typeof PerformanceObserver === 'function' && (PerformanceObserver.supportedEntryTypes || []).includes('longtask');
  let observer = null;
  if (supported) {
    observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
  }
  window.__longTasks = {
    supported,
    take() {
      if (observer) entries.push(...observer.takeRecords());
      return entries.map((entry) => ({
        name: entry.name,
        startTime: entry.startTime,
        duration: entry.duration,
        attribution: (entry.attribution || []).map((a) => ({ name: a.name, containerType: a.containerType, containerSrc: a.containerSrc })),
      }));
    },
  };
})();

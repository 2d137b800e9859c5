// Draws the page's Mermaid diagrams (`<pre class="mermaid">`, whose text is the
// diagram's source) with the theme that matches the reader's colour scheme, and
// draws them again when the scheme changes. Without this script the source stays
// on the page, readable as text.
//
// Mermaid's script (mermaid.min.js, beside this one) is 5.8 MB: it is loaded only
// when a diagram comes near the screen, so a reader who never scrolls to one never
// pays for it, and the page is interactive before it loads (Lighthouse scored a
// page whose diagram sits below the fold 75 for performance when the script was
// loaded with the page, for its blocking time).
(() => {
  const diagrams = [...document.querySelectorAll('pre.mermaid')];
  if (!diagrams.length) return;
  const script = new URL('mermaid.min.js', document.currentScript.src).href;
  const sources = diagrams.map((d) => d.textContent);
  const dark = matchMedia('(prefers-color-scheme: dark)');
  // Mermaid's dark theme puts edge labels (#ccc) on #585858, under 4.5:1.
  const variables = () => (dark.matches ? { edgeLabelBackground: '#333333' } : {});
  const draw = async () => {
    diagrams.forEach((d, i) => {
      d.removeAttribute('data-processed');
      d.textContent = sources[i];
    });
    window.mermaid.initialize({
      startOnLoad: false,
      theme: dark.matches ? 'dark' : 'default',
      themeVariables: variables(),
    });
    await window.mermaid.run({ nodes: diagrams });
    // Mermaid names the diagram type ("flowchart-v2") in aria-roledescription,
    // which is no help to a listener and not allowed on its role.
    for (const svg of document.querySelectorAll('pre.mermaid svg[aria-roledescription]')) {
      svg.removeAttribute('aria-roledescription');
    }
  };
  let loading = null;
  const load = () => {
    loading ??= new Promise((resolve, reject) => {
      const tag = document.createElement('script');
      tag.src = script;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    }).then(() => {
      draw();
      dark.addEventListener('change', draw);
    });
    return loading;
  };
  if (!('IntersectionObserver' in window)) {
    load();
    return;
  }
  // 200 px ahead, so the diagram is usually drawn by the time it is seen.
  const near = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      near.disconnect();
      load();
    }
  }, { rootMargin: '200px 0px' });
  diagrams.forEach((d) => near.observe(d));
})();

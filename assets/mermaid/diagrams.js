// Draws the page's Mermaid diagrams (`<pre class="mermaid">`, whose text is the
// diagram's source) with the theme that matches the reader's colour scheme, and
// draws them again when the scheme changes. Without this script the source stays
// on the page, readable as text.
(() => {
  const diagrams = [...document.querySelectorAll('pre.mermaid')];
  if (!diagrams.length || !window.mermaid) return;
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
  draw();
  dark.addEventListener('change', draw);
})();

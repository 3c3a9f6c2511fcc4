"""JavaScript the browser check runs in Home Assistant's pages (shadow roots everywhere)."""

# Every text node of the page, through every shadow root.
DEEP_TEXT = """
(() => {
  const parts = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) parts.push(walker.currentNode.textContent);
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') {
        if (el.placeholder) parts.push(el.placeholder);
      }
    }
  };
  visit(document.body);
  return parts.join('\\n');
})()
"""

# Finds an element in every shadow root: the first one matching the test.
FIND = """
var deepFind = (test) => {
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (test(el)) return el;
      if (el.shadowRoot) { const f = visit(el.shadowRoot); if (f) return f; }
    }
    return null;
  };
  return visit(document);
};
"""

// Search results with a snippet from the page's text (book/_ext/reader.py). Sphinx's search
// (searchtools.js) takes a result's snippet from the page's [role="main"], which in this theme
// also holds the page's toolbar (download buttons), its contents box ("Contents", "Isi") and its
// previous/next links: a snippet then reads "....pdf Poverty in Jombang Contents...". Here the
// snippet comes from the article's own text.
(function () {
  "use strict";
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  const sphinxText = Search.htmlToText;
  const notText = [
    ".headerlink",
    "script",
    "style",
    ".bd-header-article",
    ".bd-sidebar-secondary",
    ".prev-next-area",
    ".bd-footer-article",
    "nav",
  ];
  Search.htmlToText = function (htmlString, anchor) {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const article = page.querySelector("article.bd-article");
    if (!article) return sphinxText(htmlString, anchor);
    notText.forEach(function (query) {
      article.querySelectorAll(query).forEach(function (element) {
        element.remove();
      });
    });
    if (anchor) {
      const section = article.querySelector(anchor);
      if (section) return section.textContent.replace(/\s+/g, " ");
    }
    return article.textContent.replace(/\s+/g, " ");
  };
})();

/** The receipt page: its one button prints it (the stylesheet drops the site's header and buttons). */
document.getElementById("print")?.addEventListener("click", () => print());

#pragma once
// `uvis --screenshot FILE`: the window saved as a picture once what it was opened to show is
// complete — the first result with all its samples (and B's, when comparing), every image of an
// open data set scored, and with `--analyse-video` the whole video's timeline — then the
// application quits. For the docs' screenshots (tools/screenshots.sh), made the same way each time.

#include <QString>

namespace uvis {

class MainWindow;

// Also ends the run when it cannot be taken: exit 4 when the model failed, else 3 (the input),
// with the message on stderr — nobody is there to click a message box away.
void saveWindowWhenComplete(MainWindow& window, const QString& out);

// `--analyse-video`: once a video opens, the whole of it is analysed (Video → Analyse).
void analyseVideoOnceOpened(MainWindow& window);

}  // namespace uvis

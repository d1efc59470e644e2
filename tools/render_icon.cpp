// render_icon SVG OUT_DIR SIZE...: the icon's PNG sizes, rendered from its one SVG source with
// Qt SVG at build time (resources hold only the SVG). OUT_DIR/<size>x<size>/uvis.png.

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: render_icon SVG OUT_DIR SIZE...\n");
        return 2;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "render_icon: %s: not a valid SVG\n", argv[1]);
        return 3;
    }
    for (int i = 3; i < argc; ++i) {
        const int size = std::atoi(argv[i]);
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        svg.render(&painter);
        painter.end();
        const QString dir = QDir(QString::fromLocal8Bit(argv[2])).filePath(QString("%1x%1").arg(size));
        if (!QDir().mkpath(dir) || !image.save(QDir(dir).filePath("uvis.png"))) {
            std::fprintf(stderr, "render_icon: cannot write %s/uvis.png\n", qPrintable(dir));
            return 1;
        }
    }
    return 0;
}

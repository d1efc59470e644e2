#pragma once
// Exports chosen frames of a video (the worst ones, or bookmarks) as a batch in the background:
// one folder holding, per frame, the SPEC §5 maps, pictures and summary.json exactly as a single
// export writes them, plus what the application adds (its view pictures). The folder appears
// whole or not at all; cancel stops between MC chunks and leaves nothing. Qt Core layer.

#include <QList>
#include <QThread>

#include <atomic>
#include <functional>
#include <string>

#include "core/image.h"
#include "core/maps.h"
#include "core/mc_settings.h"
#include "core/model_card.h"

namespace uvis {

struct FrameBatchRequest {
    QString video;
    QString modelPath;
    QString dir;
    bool overwrite = false;
    McSettings settings;
    QList<int> frames;
    // More files per frame folder (called on the job's thread): empty or the problem.
    std::function<std::string(const std::string& dir, const RgbImage& frame, const UncertaintyMaps& maps,
                              const ModelCard& card)>
        extraFiles;
};

class FrameBatchJob : public QThread {
    Q_OBJECT
public:
    explicit FrameBatchJob(FrameBatchRequest request, QObject* parent = nullptr);
    ~FrameBatchJob() override;
    void cancel() { cancel_ = true; }

Q_SIGNALS:
    void progress(int done, int total);
    void done(const QString& message, bool cancelled);

protected:
    void run() override;

private:
    FrameBatchRequest request_;
    std::atomic<bool> cancel_{false};
};

}  // namespace uvis

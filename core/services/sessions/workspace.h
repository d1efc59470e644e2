#pragma once
// What the application has open and what follows what: the model (AnalysisSession), the image
// or the video (VideoSession), the ground truth of a still image (EvaluationSession) and the
// video timeline (VideoTimeline) and its playhead (Playhead). Opening an image closes a video; a decoded frame goes to the
// analysis; a new model re-reads the truth (palette labels need its colours); a complete result
// of a still image is evaluated. Files are read off the GUI thread; a bad file leaves what is
// open as it was. Qt Core layer: the window shows what this says and sends what the user does.

#include "core/services/jobs/latest_job.h"
#include <QObject>

#include "core/io/image_io.h"
#include "core/services/sessions/analysis_session.h"
#include "core/services/sessions/evaluation_session.h"
#include "core/services/sessions/playhead.h"
#include "core/services/sessions/video_session.h"
#include "core/services/sessions/video_timeline.h"

namespace uvis {

class Workspace : public QObject {
    Q_OBJECT
public:
    // `bundledModel` is trusted (loaded without the child-process check).
    Workspace(ValidatorCommand validator, QString bundledModel, QObject* parent = nullptr,
              ModelLoaderFn loader = {}, int checkTimeoutMs = kDefaultCheckTimeoutMs);
    ~Workspace() override;

    void openFile(const QString& path);  // an image or a video; answers: fileOpened or errorShown
    // An image of a data set whose truth its manifest names (else found by the layouts).
    void openFile(const QString& path, const TruthPaths& truth);
    // Whatever a dropped or named file is: a model (by suffix), ground truth (<id>_depth.*,
    // <id>_labels.*) for the image on screen, else an image or a video.
    void openAny(const QString& path);
    void openModel(const QString& path);
    // The model that ships with uvis, or its ensemble card beside it: loaded without the
    // child-process check.
    bool isBundledModel(const QString& path) const;
    void openTruth(const QString& path, EvaluationSession::Kind kind);  // for the still image on screen
    void requestFrame(int index) { playhead_.seek(index); }

    AnalysisSession& analysis() { return analysis_; }
    VideoSession& video() { return video_; }
    EvaluationSession& evaluation() { return evaluation_; }
    VideoTimeline& timeline() { return timeline_; }
    Playhead& playhead() { return playhead_; }  // where the open video is and goes next
    QString currentFile() const { return currentFile_; }
    bool showsVideo() const { return video_.isOpen(); }
    const RgbImage& displayed() const;  // the image or frame on screen (empty before the first)
    SharedImage sharedDisplayed() const { return displayed_; }  // the same, to hold without a copy
    int displayedFrame() const { return displayedFrame_; }    // -1 for a still image

Q_SIGNALS:
    void fileOpened(const QString& path);  // an image, or a video that opened
    void videoOpened(const uvis::VideoInfo& info);
    void videoClosed();
    void imageShown(const uvis::RgbImage& image, int frameIndex);
    void frameFailed(const QString& message);  // a frame of the open video cannot be decoded
    void errorShown(const QString& message);   // a failed action, naming the file
    void warningShown(const QString& message); // done, but not all well (a truncated JPEG)
    void noteShown(const QString& message);    // done, and worth knowing (a large photo analysed reduced)

private:
    void show(RgbImage image, int frameIndex);
    void findTruth();
    void imageLoaded(RgbImageResult result, const QString& problem);

    AnalysisSession analysis_;
    VideoSession video_;
    EvaluationSession evaluation_;
    VideoTimeline timeline_;
    Playhead playhead_;
    QString bundledModel_;
    LatestJob<RgbImageResult> imageLoad_;
    QString loadingImage_;
    TruthPaths loadingTruth_, truth_;  // a manifest's truth for the image (loading, on screen)
    QString currentFile_;
    QSize fileSize_;  // the image file's own size when it is analysed reduced, else empty
    SharedImage displayed_;
    int displayedFrame_ = -1;
};

}  // namespace uvis

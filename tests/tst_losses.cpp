// SPEC §3 losses against hand-computed values, with the signs of their gradients, and the
// learned homoscedastic task weights on a toy problem.

#include <QtTest>

#include <torch/torch.h>

#include <cmath>

#include "core/training/losses.h"

using namespace uvis;

class TestLosses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gaussianDepthLossByHand();
    void laplaceDepthLossByHand();
    void invalidPixelsDoNotCount();
    void segmentationLossWithoutNoiseIsCrossEntropy();
    void logitNoiseHelpsWrongAndHurtsRightPixels();
    void taskWeightingByHand();
    void taskWeightsConvergeToTheirOptima();
};

void TestLosses::gaussianDepthLossByHand() {
    auto mu = torch::tensor({1.f, 2.f}, torch::requires_grad());
    auto s = torch::tensor({0.f, std::log(2.f)}, torch::requires_grad());
    auto y = torch::tensor({3.f, 2.f});
    auto loss = depthLoss(mu, s, y, torch::ones({2}, torch::kBool));
    // ½·e⁰·(3−1)² + ½·0 = 2;  ½·½·0 + ½·ln 2 = 0.3466;  mean 1.1733
    QVERIFY(std::abs(loss.item<float>() - (2.f + 0.5f * std::log(2.f)) / 2) < 1e-6f);
    loss.backward();
    QVERIFY(mu.grad()[0].item<float>() < 0);  // μ below y: raising μ lowers the loss
    QVERIFY(std::abs(mu.grad()[0].item<float>() - (-2.f / 2)) < 1e-6f);
    QVERIFY(s.grad()[0].item<float>() < 0);   // residual 2 > σ = 1: more variance lowers it
    QVERIFY(s.grad()[1].item<float>() > 0);   // residual 0: less variance lowers it
}

void TestLosses::laplaceDepthLossByHand() {
    auto mu = torch::tensor({1.f}), s = torch::tensor({0.5f}), y = torch::tensor({4.f});
    const float expected = std::exp(-0.5f) * 3.f + 0.5f;
    QVERIFY(std::abs(depthLoss(mu, s, y, torch::ones({1}, torch::kBool), true).item<float>() - expected) < 1e-6f);
}

void TestLosses::invalidPixelsDoNotCount() {
    auto mu = torch::tensor({1.f, 100.f}), s = torch::zeros({2}), y = torch::tensor({1.f, 0.f});
    QCOMPARE(depthLoss(mu, s, y, y.gt(0)).item<float>(), 0.f);
}

void TestLosses::segmentationLossWithoutNoiseIsCrossEntropy() {
    // Logits (0, ln 3): p(class 1) = 3/4. Second pixel ignored (255).
    auto logits = torch::tensor({0.f, 0.f, std::log(3.f), 5.f}).view({1, 2, 1, 2});
    auto logVar = torch::full({1, 1, 1, 2}, -50.f);
    auto labels = torch::tensor({1, 255}, torch::kInt64).view({1, 1, 2});
    at::Generator rng = at::detail::createCPUGenerator(1);
    QVERIFY(std::abs(segmentationLoss(logits, logVar, labels, 0, rng).item<float>() + std::log(0.75f)) < 1e-6f);
    // σ ≈ 0: the noisy version equals cross-entropy too.
    QVERIFY(std::abs(segmentationLoss(logits, logVar, labels, 20, rng).item<float>() + std::log(0.75f)) < 1e-5f);
}

void TestLosses::logitNoiseHelpsWrongAndHurtsRightPixels() {
    at::Generator rng = at::detail::createCPUGenerator(3);
    auto logits = torch::tensor({0.f, 4.f}).view({1, 2, 1, 1});
    for (int label : {0, 1}) {
        auto logVar = torch::zeros({1, 1, 1, 1}, torch::requires_grad());
        auto labels = torch::full({1, 1, 1}, label, torch::kInt64);
        segmentationLoss(logits, logVar, labels, 400, rng).backward();
        const float g = logVar.grad().item<float>();
        // Right and confident: noise only blurs it (loss grows with σ). Wrong: noise is the only
        // way to put mass on the true class (loss falls with σ) — attenuation, Kendall & Gal §3.
        if (label == 1) QVERIFY2(g > 0, qPrintable(QString::number(g)));
        else QVERIFY2(g < 0, qPrintable(QString::number(g)));
    }
}

void TestLosses::taskWeightingByHand() {
    TaskWeighting w;
    auto total = w->forward(torch::tensor(2.f), torch::tensor(3.f));
    QVERIFY(std::abs(total.item<float>() - 4.f) < 1e-6f);  // ½·2 + 0 + 3 + 0
    total.backward();
    auto grads = w->parameters();
    QVERIFY(std::abs(grads[0].grad().item<float>() + 0.5f) < 1e-6f);  // −½·L_d + ½
    QVERIFY(std::abs(grads[1].grad().item<float>() + 2.5f) < 1e-6f);  // −L_s + ½
}

void TestLosses::taskWeightsConvergeToTheirOptima() {
    // Fixed task losses: the noisy task (large loss) must get the large σ. The optima are
    // λ_d = log L_d and λ_s = log 2 L_s.
    TaskWeighting w;
    torch::optim::SGD sgd(w->parameters(), 0.1);
    const auto ld = torch::tensor(4.f), ls = torch::tensor(0.1f);
    for (int i = 0; i < 3000; ++i) {
        sgd.zero_grad();
        w->forward(ld, ls).backward();
        sgd.step();
    }
    QVERIFY2(std::abs(w->depthLogVar() - std::log(4.0)) < 1e-2, qPrintable(QString::number(w->depthLogVar())));
    QVERIFY2(std::abs(w->segLogVar() - std::log(0.2)) < 1e-2, qPrintable(QString::number(w->segLogVar())));
    QVERIFY(w->depthLogVar() > w->segLogVar());
}

QTEST_MAIN(TestLosses)
#include "tst_losses.moc"

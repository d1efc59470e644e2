// Concrete dropout (core/training/concrete_dropout.h): the regulariser against a hand computation
// and its 1/N scaling, the relaxed mask's expectation, and the effect it exists for — on a toy
// regression with a known answer, the learned rate falls as the data set grows.

#include <QtTest>

#include <cmath>

#include "core/training/concrete_dropout.h"

using namespace uvis;

namespace {

// y = sin(3x) + 0.1 ε on x ∈ [−1, 1]: N examples drawn with `seed`.
struct ToyData {
    torch::Tensor x, y;
};

ToyData toyData(int64_t n, uint64_t seed) {
    at::Generator rng = at::detail::createCPUGenerator(seed);
    const auto x = torch::rand({n, 1}, rng) * 2 - 1;
    const auto y = torch::sin(3 * x) + 0.1 * torch::randn({n, 1}, rng);
    return {x, y};
}

// A one-hidden-layer network with concrete dropout on its 64 hidden units, fitted to `data` with
// the Gaussian likelihood of the known noise (σ = 0.1) plus the regulariser for N = its size;
// the learned rate after `steps` Adam steps on minibatches of at most 128.
double learnedRate(const ToyData& data, int steps) {
    torch::manual_seed(1);
    torch::nn::Linear hidden(1, 64), out(64, 1);
    ConcreteDropout dropout(0.5);
    std::vector<torch::Tensor> parameters = hidden->parameters();
    for (const auto& p : out->parameters()) parameters.push_back(p);
    for (const auto& p : dropout->parameters()) parameters.push_back(p);
    torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(1e-2));
    at::Generator rng = at::detail::createCPUGenerator(2);
    const int64_t n = data.x.size(0), batch = std::min<int64_t>(n, 128);
    for (int step = 0; step < steps; ++step) {
        const auto index = torch::randint(n, {batch}, rng, torch::kInt64);
        const auto x = data.x.index_select(0, index), y = data.y.index_select(0, index);
        const auto h = dropout->forward(torch::relu(hidden->forward(x)), {batch, 64}, rng);
        const auto fit = (out->forward(h) - y).square().mean() / (2 * 0.1 * 0.1);
        const auto loss = fit + concreteRegulariser(dropout->rate(), out->weight, 64, n, 1e-4);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }
    return dropout->rateValue();
}

}  // namespace

class TestConcreteDropout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void regulariserIsTheHandComputation() {
        const auto w = torch::tensor({0.5, -1.0, 2.0, 0.25});  // Σ W² = 5.3125
        const double p = 0.2, l2 = 1e-2;
        const int64_t k = 4, n = 100;
        const double expected =
            l2 / n * 5.3125 / (1 - p) + 2.0 / n * k * (p * std::log(p) + (1 - p) * std::log(1 - p));
        const double got = concreteRegulariser(torch::tensor(p), w, k, n, l2).item<double>();
        QVERIFY2(std::abs(got - expected) < 1e-6 * std::abs(expected), qPrintable(QString("%1 vs %2").arg(got).arg(expected)));
    }

    void regulariserScalesWithOneOverN() {
        const auto w = torch::randn({16, 8});
        for (double p : {0.05, 0.3, 0.7}) {
            const double at100 = concreteRegulariser(torch::tensor(p), w, 8, 100, 1e-3).item<double>();
            const double at10000 = concreteRegulariser(torch::tensor(p), w, 8, 10000, 1e-3).item<double>();
            QVERIFY(std::abs(at100 / at10000 - 100.0) < 1e-3);
        }
    }

    void theRelaxedMaskKeepsTheExpectation() {
        // E[x (1 − z) / (1 − p)] ≈ x: over 200,000 channel draws the mean stays within 1 %.
        ConcreteDropout dropout(0.3);
        at::Generator rng = at::detail::createCPUGenerator(5);
        torch::NoGradGuard noGrad;
        const auto x = torch::ones({200000, 1});
        const double mean = dropout->forward(x, {200000, 1}, rng).mean().item<double>();
        QVERIFY2(std::abs(mean - 1.0) < 0.01, qPrintable(QString::number(mean)));
        // The masks are nearly binary at t = 0.1: most kept values are 0 or 1 / (1 − p).
        const auto y = dropout->forward(x, {200000, 1}, rng);
        const double nearBinary =
            ((y < 0.05) | ((y - 1 / 0.7).abs() < 0.05)).to(torch::kFloat32).mean().item<double>();
        QVERIFY2(nearBinary > 0.8, qPrintable(QString::number(nearBinary)));
    }

    void theLearnedRateFallsAsTheDataGrow() {
        // Gal, Hron & Kendall's toy finding: the same network on 50 and on 5000 examples of the
        // same function learns a much lower rate from more data.
        const double small = learnedRate(toyData(50, 11), 2000);
        const double large = learnedRate(toyData(5000, 11), 2000);
        qInfo("learned rate: %.4f with N = 50, %.4f with N = 5000", small, large);
        QVERIFY2(large < 0.5 * small, qPrintable(QString("%1 vs %2").arg(large).arg(small)));
    }
};

QTEST_GUILESS_MAIN(TestConcreteDropout)
#include "tst_concrete_dropout.moc"

#pragma once
// Image → model input, per the model card: resize to the card's input size, scale to [0, 1],
// normalise with the card's mean and std. Public: plain types in and out.

#include "core/types/image.h"
#include "core/model/model_card.h"

namespace uvis {

// Resizes bilinearly (antialiased when shrinking) and normalises. An empty or malformed image
// gives an empty tensor.
ImageTensor toModelInput(const RgbImage& image, const InputSpec& spec);

}  // namespace uvis

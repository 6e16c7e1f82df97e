// mnist.cpp — the MNIST asset's bytes as the lab's train and test sets (see mnist.hpp).
#include "bnkata/training/mnist.hpp"

#include <string>

namespace bnkata::training::mnist {

Problem datasets_from_bytes(const std::uint8_t* bytes, std::size_t size, std::shared_ptr<Dataset>& train,
                            std::shared_ptr<Dataset>& test) {
    if (size != kBytes)
        return FieldError{"mnist", "expected " + std::to_string(kBytes) + " bytes (10,000 digits of 784 pixels, then " +
                                       "10,000 labels), got " + std::to_string(size)};
    const std::uint8_t* labels = bytes + kDigits * kPixels;
    auto split = [&](std::size_t first, std::size_t count) {
        auto set = std::make_shared<Dataset>();
        set->count = count;
        set->features = kPixels;
        set->x.resize(count * kPixels);
        set->labels.resize(count);
        for (std::size_t i = 0; i < count * kPixels; ++i) set->x[i] = scale_pixel(bytes[first * kPixels + i]);
        for (std::size_t i = 0; i < count; ++i) set->labels[i] = labels[first + i];
        return set;
    };
    train = split(0, kTrain);
    test = split(kTrain, kDigits - kTrain);
    return std::nullopt;
}

}  // namespace bnkata::training::mnist

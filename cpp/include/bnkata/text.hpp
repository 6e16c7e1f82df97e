// text.hpp — small helpers for echoing text in messages.
#pragma once

#include <cstddef>
#include <string>

namespace bnkata {

// At most max_bytes of text, cut at a UTF-8 character boundary, with "…" appended when shortened (for
// quoting learner or request text in a message without splitting a multi-byte sequence).
inline std::string shorten(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t cut = max_bytes;
    // Back up over continuation bytes (10xxxxxx): the cut then falls before a sequence's lead byte.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

}  // namespace bnkata

// "Did you mean": the closest of a few known names to what was typed (ninja's SpellcheckString).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace de {

// Edit distance with adjacent transpositions (so "fiers" is one edit from "fires").
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `typed` when it is near enough to be a typo (at most 2 edits, or a
// third for names of 8 or more characters), else "". Ties go to the earlier candidate.
std::string ClosestName(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace de

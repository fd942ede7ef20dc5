#include "diff_events/fires/fires_result.h"

namespace de {

const char* KeyClassName(KeyClass c) {
  switch (c) {
    case KeyClass::kMissing:
      return "missing";
    case KeyClass::kUnderFiring:
      return "under-firing";
    case KeyClass::kMatched:
      return "matched";
    case KeyClass::kExtra:
      return "extra";
  }
  return "?";
}

const char* HeadlineName(Headline h) {
  switch (h) {
    case Headline::kSameFires:
      return "same-fires";
    case Headline::kDivergent:
      return "divergent";
    case Headline::kInconclusive:
      return "inconclusive";
  }
  return "?";
}

double KeyRow::ratio() const {
  return canary.fires == 0 ? 0.0 : static_cast<double>(ours.fires) / canary.fires;
}

double FiresTotals::missing_share() const {
  return canary_fires == 0 ? 0.0 : static_cast<double>(missing_canary_fires) / canary_fires;
}

bool FiresResult::Has(KeyClass c) const {
  switch (c) {
    case KeyClass::kMissing:
      return !missing.empty();
    case KeyClass::kUnderFiring:
      return !under_firing.empty();
    case KeyClass::kMatched:
      return !matched.empty();
    case KeyClass::kExtra:
      return !extra.empty();
  }
  return false;
}

}  // namespace de

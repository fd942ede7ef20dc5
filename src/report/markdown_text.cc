#include "markdown_text.h"

#include <fmt/format.h>

#include <algorithm>

namespace de {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

// Appends `text` with control characters folded and invalid UTF-8 replaced; `escape` lists the
// ASCII characters to backslash-escape.
void AppendFolded(std::string& out, std::string_view text, std::string_view escape) {
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    char c = text[i];
    if (n == 1 && (c == '\n' || c == '\r' || c == '\t')) {
      out += ' ';
    } else if (n == 1 && (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
    } else {
      if (n == 1 && escape.find(c) != std::string_view::npos) out += '\\';
      out.append(text.substr(i, n));
    }
    i += n;
  }
}

size_t LongestBacktickRun(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string MdText(std::string_view text) {
  std::string out;
  AppendFolded(out, text, "`|\\");
  return out;
}

std::string MdCode(std::string_view text) {
  std::string body;
  AppendFolded(body, text, "|");
  std::string fence(LongestBacktickRun(body) + 1, '`');
  // A space keeps a backtick at either end from joining the fence (CommonMark strips it).
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string MdFencedBlock(std::string_view text, std::string_view lang) {
  std::string fence(std::max<size_t>(3, LongestBacktickRun(text) + 1), '`');
  std::string body;
  for (char c : text) {  // one line of JSON: keep it one line, without control characters
    if (c == '\n' || c == '\r')
      body += ' ';
    else if (c == '\0')
      body += "\\x00";
    else
      body += c;
  }
  return fmt::format("{}{}\n{}\n{}\n", fence, lang, body, fence);
}

}  // namespace de

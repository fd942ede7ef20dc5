// Text from the inputs pasted into the HTML report (paths, engine names, event summaries, raw
// lines) must not change the document: element text and attribute values are entity-escaped,
// and the JSON data blob inside <script> cannot close it ("</script>" in an event's text).
#pragma once

#include <string>
#include <string_view>

namespace de {

// & < > " ' as entities: safe in element text and in quoted attribute values.
std::string HtmlText(std::string_view text);

// A JSON text made safe inside <script type="application/json">: every < > & becomes its
// \u00XX escape, which JSON.parse reads back as the same character. JSON has those characters
// only inside strings, so the value is unchanged.
std::string ScriptSafeJson(std::string_view json);

}  // namespace de

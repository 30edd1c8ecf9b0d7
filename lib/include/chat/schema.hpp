#pragma once
/// Reading schema files (YAML or JSON) into the model and checking them (SPEC §2–§4).
/// Nothing here prints or exits: findings go to a DiagnosticSink.

#include <chat/config.hpp>
#include <chat/diagnostics.hpp>
#include <chat/model.hpp>
#include <chat/source_text.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace chat::schema {

/// Largest schema file accepted, in bytes (SPEC §15).
inline constexpr std::size_t k_max_file_bytes = std::size_t{64} << 20;
/// Most questions one schema may have (SPEC §15).
inline constexpr std::size_t k_max_questions = 1'000'000;

enum class FileFormat { yaml, json };

/// The format a file name announces (.yaml/.yml or .json), or, failing that, the one its
/// content looks like (JSON when the first non-blank character is '{').
FileFormat detect_format(std::string_view file_name, std::string_view text);

/// The `syntax` diagnostic for a file over k_max_file_bytes (callers need not read it at all).
/// `size` is nullopt for a stream, whose reading stopped at the limit.
Diagnostic oversized_file(std::string_view file_name, std::optional<std::size_t> size);

/// Reads and checks one schema text. Every finding goes to `sink` with `file_name` as its file.
/// Returns the schema when it has no error (warnings allowed), nullopt otherwise.
std::optional<Schema> validate_schema(const SourceText& source, std::string_view file_name,
                                      FileFormat format, const Config& config,
                                      DiagnosticSink& sink);

}  // namespace chat::schema

-- Each entry of a bibliography formatted alone by Pandoc's citeproc, as briefs formats a
-- source on /sources/ and in the default mode: one document per key, citing only that key
-- (so no year letters, no repeated-author dashes), all in one `pandoc lua` process.
--
--   pandoc lua alone.lua STYLE.csl BIBLIOGRAPHY KEY...
--
-- Writes each document's bibliography as HTML, one after another.
local csl, bibliography = arg[1], arg[2]
for i = 3, #arg do
  local key = arg[i]
  local cite = pandoc.Cite({ pandoc.Str('@' .. key) }, { pandoc.Citation(key, 'NormalCitation') })
  local doc = pandoc.Pandoc({}, {
    bibliography = pandoc.MetaInlines { pandoc.Str(bibliography) },
    csl = pandoc.MetaInlines { pandoc.Str(csl) },
    nocite = pandoc.MetaInlines { cite },
  })
  io.write(pandoc.write(pandoc.utils.citeproc(doc), 'html'), '\n')
end

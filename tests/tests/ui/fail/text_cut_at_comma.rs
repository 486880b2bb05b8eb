// An unquoted `,` inside `{ … }` cuts the text; the tail becomes a "key" and the help writes the quoted value.
b24_client::generate!(specs = "text_cut_at_comma/im.thing.get.yaml", relative_to = file);

fn main() {}

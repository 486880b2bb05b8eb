// A required param named `client` would sit next to the client in `Call::new(client, …)`.
b24_client::generate!(specs = "required_client/im.thing.get.yaml", relative_to = file);

fn main() {}

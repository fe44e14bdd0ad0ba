//! `wasm-split <app.wasm> <pkg dir> <output name> <main module out>`: splits the wasm that cargo
//! linked with `--emit-relocs` at each `#[lazy]` function, as cargo-leptos does for `--split`.
//! Writes the chunks, the loader `__wasm_split.*.js` and `__wasm_split_manifest.json` (which
//! chunks each split needs; the server reads it to preload a page's chunks) into the pkg dir, and
//! the main module to the given path, for wasm-bindgen. The chunks leave without their function
//! names (two thirds of their bytes); wasm-opt, which would drop them too, is run on the main
//! module only.
use std::{fs, path::PathBuf, process::ExitCode};

// Leptos imports the loader by this exact name (the underscores stand where a hash could go).
const LOADER: &str = "./__wasm_split.______________________.js";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, pkg, output_name, main_out] = args.as_slice() else {
        eprintln!("usage: wasm-split <app.wasm> <pkg dir> <output name> <main module out>");
        return ExitCode::from(2);
    };
    match split(input, PathBuf::from(pkg), output_name, PathBuf::from(main_out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wasm-split: {error:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &str, pkg: PathBuf, output_name: &str, main_out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let wasm = fs::read(input)?;
    let main_module = format!("./{output_name}.js");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = &pkg;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = LOADER;
    let split = wasm_split_cli_support::transform(options).map_err(|e| format!("{e:?}"))?;
    fs::write(pkg.join("__wasm_split_manifest.json"), serde_json::to_string_pretty(&split.prefetch_map)?)?;
    for chunk in &split.split_modules {
        let bytes = fs::read(chunk)?;
        fs::write(chunk, without_names(&bytes).ok_or_else(|| format!("{} is not a wasm module", chunk.display()))?)?;
    }
    Ok(())
}

/// The module without its `name` custom section (debugging names only; nothing links by them).
/// A module is an 8-byte header, then sections: an id byte, a LEB128 size, the payload; a custom
/// section (id 0) starts with its name, itself a LEB128 length and the bytes.
fn without_names(module: &[u8]) -> Option<Vec<u8>> {
    fn leb128(bytes: &[u8], at: &mut usize) -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
        }
    }
    let mut out = module.get(..8)?.to_vec();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        let id = module[at];
        at += 1;
        let size = leb128(module, &mut at)?;
        let end = at.checked_add(size).filter(|&end| end <= module.len())?;
        let is_names = id == 0 && {
            let mut name_at = at;
            let len = leb128(module, &mut name_at)?;
            module.get(name_at..name_at + len) == Some(b"name".as_slice())
        };
        if !is_names {
            out.extend_from_slice(&module[start..end]);
        }
        at = end;
    }
    Some(out)
}

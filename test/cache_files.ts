// Test helper, run as a subprocess with its own --allow-write (the unit-test task grants no write): reads
// { dir?, files: { name: text }, ages?: { name: seconds }, remove? } as JSON on stdin, writes the files under dir (a new
// temporary folder when absent), sets the modification time of `ages` files that many seconds back, prints the folder.
// With `remove`, removes that folder instead.
const input = JSON.parse(await new Response(Deno.stdin.readable).text()) as {
  dir?: string;
  files?: Record<string, string>;
  ages?: Record<string, number>;
  remove?: string;
};
if (input.remove) {
  if (!input.remove.includes("probstab-cache-test-")) throw new Error(`refusing to remove ${input.remove}`);
  await Deno.remove(input.remove, { recursive: true });
} else {
  const dir = input.dir ?? await Deno.makeTempDir({ prefix: "probstab-cache-test-" });
  for (const [name, text] of Object.entries(input.files ?? {})) {
    await Deno.mkdir(`${dir}/${name}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  for (const [name, seconds] of Object.entries(input.ages ?? {})) {
    const then = new Date(Date.now() - seconds * 1000);
    await Deno.utime(`${dir}/${name}`, then, then);
  }
  console.log(dir);
}

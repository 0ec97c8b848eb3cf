import { HOTKEYS } from '../../lib/editor-view/hotkeys';

export function CheatSheet({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal card" role="dialog" aria-label="Keyboard shortcuts" onClick={(event) => event.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="hotkeys">
          <tbody>
            {HOTKEYS.map((hotkey) => (
              <tr key={hotkey.keys}>
                <td>
                  <kbd>{hotkey.keys}</kbd>
                </td>
                <td>{hotkey.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
